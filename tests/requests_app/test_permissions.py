"""requests_app.permissions: who may do what with a request, for every persona (the one source
the API, the pages, the services, the candidates and the concerns ask)."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser

from requests_app.permissions import help_request_permissions
from tests.requests_app.conftest import PERSONAS, mark_matched

pytestmark = pytest.mark.django_db

SPEAKS_FOR_REQUESTER = {
    "may_see",
    "acts_for_requester",
    "sees_exact_place",
    "may_see_offers",
    "may_see_candidates",
    "may_accept",
    "may_cancel",
    "may_complete",
}

# What each persona may do: the flags that are true, every other one false.
OPEN = {
    "requester": SPEAKS_FOR_REQUESTER
    | {"is_requester", "may_confirm_visits", "may_leave_feedback", "can_cancel"},
    "coordinator": SPEAKS_FOR_REQUESTER | {"may_read_feedback", "can_cancel"},
    "helper": set(),
    "other_helper": set(),
    "outsider": set(),
    "anonymous": set(),
}
MATCHED = {
    "requester": OPEN["requester"] | {"can_complete", "can_leave_feedback"},
    "coordinator": OPEN["coordinator"] | {"can_complete"},
    "helper": {
        "may_see",
        "sees_exact_place",
        "is_matched_helper",
        "may_log_visits",
        "can_log_visits",
        "may_leave_feedback",
        "can_leave_feedback",
    },
    "other_helper": set(),
    "outsider": set(),
    "anonymous": set(),
}


def granted(personas, persona, help_request) -> set[str]:
    user = getattr(personas, persona) or AnonymousUser()
    permissions = help_request_permissions(user=user, help_request=help_request)
    return {name for name, value in dataclasses.asdict(permissions).items() if value}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_do_what_with_an_open_request(personas, persona):
    assert granted(personas, persona, personas.help_request) == OPEN[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_do_what_with_a_matched_request(personas, persona):
    assert granted(personas, persona, mark_matched(personas)) == MATCHED[persona]


@pytest.mark.parametrize("status", ["completed", "cancelled", "expired"])
def test_a_closed_request_offers_no_cancel_and_no_complete(personas, status):
    help_request = mark_matched(personas)
    help_request.status = status

    requester = granted(personas, "requester", help_request)

    assert {"may_cancel", "may_complete"} <= requester
    assert not {"can_cancel", "can_complete"} & requester
    assert ("can_log_visits" in granted(personas, "helper", help_request)) is (
        status == "completed"
    )


def test_whoever_made_the_request_speaks_for_the_person(personas):
    help_request = personas.help_request
    help_request.created_by = personas.outsider

    assert granted(personas, "outsider", help_request) == SPEAKS_FOR_REQUESTER | {"can_cancel"}
