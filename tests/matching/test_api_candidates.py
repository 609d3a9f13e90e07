"""GET /api/requests/<id>/candidates/ (CONTRACT.md "Requests and matching")."""

import pytest

from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


def url(help_request_id: int, query: str = "") -> str:
    return f"/api/requests/{help_request_id}/candidates/{query}"


def test_the_requester_sees_eligible_helpers_best_first(personas):
    further = VerifiedHelperFactory(location=point_at(NAMUR, km=3))

    response = client_for(personas.requester).get(url(personas.help_request.pk))

    assert response.status_code == 200
    body = response.json()
    assert [c["helper_id"] for c in body] == [personas.helper.pk, further.user_id]
    assert set(body[0]) == {"helper_id", "display_name", "distance_km", "score", "reasons"}
    assert body[0]["display_name"] == personas.helper.display_name
    assert body[0]["score"] >= body[1]["score"]
    assert all(0 <= c["score"] <= 1 for c in body)
    assert body[0]["reasons"]


def test_unverified_helpers_are_never_candidates(personas):
    response = client_for(personas.requester).get(url(personas.help_request.pk))

    assert personas.unverified_helper.pk not in [c["helper_id"] for c in response.json()]


def test_a_coordinator_sees_them_too(personas):
    response = client_for(personas.coordinator).get(url(personas.help_request.pk))

    assert response.status_code == 200
    assert [c["helper_id"] for c in response.json()] == [personas.helper.pk]


@pytest.mark.parametrize("persona", ["helper", "unverified_helper", "outsider"])
def test_anyone_else_gets_404(personas, persona):
    response = client_for(getattr(personas, persona)).get(url(personas.help_request.pk))

    assert response.status_code == 404


def test_the_matched_helper_sees_the_request_but_not_the_candidates(personas):
    help_request = personas.help_request
    help_request.status = RequestStatus.MATCHED
    help_request.matched_helper = personas.helper
    help_request.save()

    response = client_for(personas.helper).get(url(help_request.pk))

    assert response.status_code == 403


def test_anonymous_is_401(personas):
    response = client_for(None).get(url(personas.help_request.pk))

    assert response.status_code == 401


def test_an_unknown_request_is_404(personas):
    response = client_for(personas.coordinator).get(url(10**9))

    assert response.status_code == 404


@pytest.mark.parametrize("limit", ["0", "51", "-1", "ten", "1.5"])
def test_a_bad_limit_is_400(personas, limit):
    response = client_for(personas.requester).get(url(personas.help_request.pk, f"?limit={limit}"))

    assert response.status_code == 400
    assert "limit" in response.json()


def test_the_limit_cuts_the_list(personas):
    for km in (1, 2, 3):
        VerifiedHelperFactory(location=point_at(NAMUR, km=km))
    client = client_for(personas.requester)

    assert len(client.get(url(personas.help_request.pk, "?limit=2")).json()) == 2
    assert len(client.get(url(personas.help_request.pk, "?limit=50")).json()) == 4
    assert len(client.get(url(personas.help_request.pk)).json()) == 4


def test_reasons_speak_the_requesters_language_whoever_reads(personas):
    requester = UserFactory(language="nl")
    help_request = HelpRequestFactory(requester=requester, languages=[])
    VerifiedHelperFactory(languages=["nl"])
    coordinator = personas.coordinator  # French-speaking

    response = client_for(coordinator).get(url(help_request.pk), HTTP_ACCEPT_LANGUAGE="fr")

    reasons = [reason for candidate in response.json() for reason in candidate["reasons"]]
    assert "Spreekt Nederlands" in reasons
