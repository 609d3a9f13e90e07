"""Visits: the matched helper logs them (POST /api/requests/<id>/visits/), the requester confirms
them (POST /api/visits/<id>/confirm/)."""

import datetime

import pytest
from django.utils import timezone

from requests_app.models import RequestStatus, Visit
from tests.clients import client_for
from tests.requests_app.factories import VisitFactory

pytestmark = pytest.mark.django_db


def visits_url(help_request) -> str:
    return f"/api/requests/{help_request.pk}/visits/"


def log(user, help_request, **fields):
    data = {"date": timezone.localdate().isoformat(), "hours": 1.5, **fields}
    return client_for(user).post(visits_url(help_request), data, format="json")


# --- Logging ----------------------------------------------------------------------------------


def test_the_matched_helper_logs_a_visit(personas, matched):
    response = log(personas.helper, matched)

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["request"], data["helper"], data["hours"]) == (matched.pk, personas.helper.pk, 1.5)
    assert data["confirmed"] is False


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("requester", 403),
        ("coordinator", 403),
        ("other_helper", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_nobody_else_logs_a_visit(personas, matched, persona, expected):
    response = log(getattr(personas, persona), matched)

    assert response.status_code == expected
    assert not Visit.objects.exists()


def test_a_visit_on_a_request_that_is_no_longer_matched_is_409(personas, matched):
    matched.status = RequestStatus.CANCELLED
    matched.save()

    assert log(personas.helper, matched).status_code == 409


def test_a_last_visit_may_be_logged_after_completion(personas, matched):
    matched.status = RequestStatus.COMPLETED
    matched.save()

    assert log(personas.helper, matched).status_code == 201


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"hours": 0}, "hours"),
        ({"hours": 0.1}, "hours"),
        ({"hours": 25}, "hours"),
        ({"hours": "2"}, "hours"),
        ({"hours": 10**40}, "hours"),
        ({"date": "yesterday"}, "date"),
        ({"date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, "date"),
        ({"date": "1990-01-01"}, "date"),
    ],
)
def test_bad_visits_are_a_400_naming_the_field(personas, matched, fields, field):
    response = log(personas.helper, matched, **fields)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("requester", 200), ("helper", 200), ("coordinator", 200), ("outsider", 404)],
)
def test_who_reads_the_visits(personas, matched, persona, expected):
    VisitFactory(request=matched)

    response = client_for(getattr(personas, persona)).get(visits_url(matched))

    assert response.status_code == expected
    if expected == 200:
        assert len(response.json()) == 1


# --- Confirming -------------------------------------------------------------------------------


def confirm(user, visit):
    return client_for(user).post(f"/api/visits/{visit.pk}/confirm/")


def test_the_requester_confirms_a_visit(personas, matched):
    visit = VisitFactory(request=matched)

    response = confirm(personas.requester, visit)

    assert response.status_code == 200
    assert response.json()["confirmed"] is True
    visit.refresh_from_db()
    assert visit.confirmed_by_requester and visit.confirmed_at is not None


def test_confirming_twice_keeps_the_first_confirmation(personas, matched):
    visit = VisitFactory(request=matched)
    confirm(personas.requester, visit)
    first = Visit.objects.get().confirmed_at

    assert confirm(personas.requester, visit).status_code == 200
    assert Visit.objects.get().confirmed_at == first


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("helper", 403),
        ("coordinator", 403),
        ("other_helper", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_nobody_else_confirms(personas, matched, persona, expected):
    visit = VisitFactory(request=matched)

    response = confirm(getattr(personas, persona), visit)

    assert response.status_code == expected
    assert not Visit.objects.get().confirmed_by_requester


def test_an_unknown_visit_is_404(personas):
    assert client_for(personas.requester).post("/api/visits/999999999/confirm/").status_code == 404
