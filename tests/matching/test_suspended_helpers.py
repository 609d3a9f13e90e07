"""A suspended helper (docs/VETTING.md) is matched with nobody: never a candidate, never in a
batch plan, shown no nearby requests, and refused (403) when they offer."""

import pytest
from django.utils import timezone

from matching.models import VerificationState
from matching.services import helper_vetting_change
from tests.clients import client_for

pytestmark = pytest.mark.django_db


def suspend(helper_user, coordinator) -> None:
    helper_vetting_change(
        helper_user=helper_user,
        coordinator=coordinator,
        state=VerificationState.SUSPENDED,
        reason="A complaint to look into.",
    )


def candidate_ids(personas) -> list[int]:
    response = client_for(personas.coordinator).get(
        f"/api/requests/{personas.help_request.pk}/candidates/"
    )
    assert response.status_code == 200
    return [candidate["helper_id"] for candidate in response.json()]


def test_a_suspended_helper_is_no_longer_a_candidate(personas):
    assert candidate_ids(personas) == [personas.helper.pk]

    suspend(personas.helper, personas.coordinator)

    assert candidate_ids(personas) == []


def test_a_suspended_helper_is_left_out_of_a_batch(personas):
    client = client_for(personas.coordinator)
    before = client.post("/api/matching/batch/", {"dry_run": True}, format="json").json()
    assert [a["helper"] for a in before["assignments"]] == [personas.helper.pk]

    suspend(personas.helper, personas.coordinator)

    after = client.post("/api/matching/batch/", {"dry_run": True}, format="json").json()
    assert after["assignments"] == []


def test_a_suspended_helper_sees_no_nearby_requests(personas):
    client = client_for(personas.helper)
    assert [r["id"] for r in client.get("/api/requests/nearby/").json()] == [
        personas.help_request.pk
    ]

    suspend(personas.helper, personas.coordinator)

    response = client.get("/api/requests/nearby/")
    assert response.status_code == 200
    assert response.json() == []


def test_a_suspended_helper_cannot_offer(personas):
    suspend(personas.helper, personas.coordinator)

    response = client_for(personas.helper).post(
        f"/api/requests/{personas.help_request.pk}/offers/", {"message": ""}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "helper_suspended"
    assert not personas.help_request.offers.exists()


def test_the_refusal_is_in_the_helpers_language(personas):
    suspend(personas.helper, personas.coordinator)

    response = client_for(personas.helper).post(
        f"/api/requests/{personas.help_request.pk}/offers/",
        {"message": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Een coördinator heeft uw helpersprofiel")


def test_verified_again_they_are_a_candidate_again(personas):
    suspend(personas.helper, personas.coordinator)

    helper_vetting_change(
        helper_user=personas.helper,
        coordinator=personas.coordinator,
        state=VerificationState.VERIFIED,
        reason="Complaint unfounded.",
        record={"id_document": "identity_card", "interview_on": timezone.localdate()},
    )

    assert candidate_ids(personas) == [personas.helper.pk]
    assert (
        client_for(personas.helper)
        .post(f"/api/requests/{personas.help_request.pk}/offers/", {"message": ""}, format="json")
        .status_code
        == 201
    )
