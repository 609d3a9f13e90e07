"""POST /api/helpers/<user id>/verify/ (CONTRACT.md "Helpers"): coordinators only."""

import pytest

from matching.models import HelperProfile, VerificationState
from tests.accounts.factories import CoordinatorFactory
from tests.clients import client_for
from tests.matching.factories import HelperProfileFactory

pytestmark = pytest.mark.django_db


def url(user_id: int) -> str:
    return f"/api/helpers/{user_id}/verify/"


def test_a_coordinator_verifies_a_helper(personas):
    response = client_for(personas.coordinator).post(url(personas.unverified_helper.pk))

    assert response.status_code == 200
    assert response.json()["verification_state"] == "verified"
    assert response.json()["verified_at"] is not None
    profile = HelperProfile.objects.get(user=personas.unverified_helper)
    assert profile.verification_state == VerificationState.VERIFIED
    assert profile.verified_by == personas.coordinator


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("requester", 403),
        ("helper", 403),
        ("unverified_helper", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_only_coordinators_may_verify(personas, persona, status):
    response = client_for(getattr(personas, persona)).post(url(personas.unverified_helper.pk))

    assert response.status_code == status
    profile = HelperProfile.objects.get(user=personas.unverified_helper)
    assert profile.verification_state == VerificationState.UNVERIFIED


def test_an_unknown_user_is_404(personas):
    response = client_for(personas.coordinator).post(url(10**9))

    assert response.status_code == 404


def test_a_user_without_a_helper_profile_is_404(personas):
    response = client_for(personas.coordinator).post(url(personas.outsider.pk))

    assert response.status_code == 404


def test_non_coordinators_get_403_even_for_unknown_ids(personas):
    response = client_for(personas.outsider).post(url(10**9))

    assert response.status_code == 403


def test_a_coordinator_cannot_verify_their_own_profile():
    coordinator = CoordinatorFactory()
    HelperProfileFactory(user=coordinator)

    response = client_for(coordinator).post(url(coordinator.pk))

    assert response.status_code == 403
    assert response.json()["code"] == "cannot_verify_self"


def test_verifying_again_keeps_the_first_verification(personas):
    first = personas.helper.helper_profile
    original = (first.verified_by_id, first.verified_at)

    response = client_for(personas.coordinator).post(url(personas.helper.pk))

    assert response.status_code == 200
    first.refresh_from_db()
    assert (first.verified_by_id, first.verified_at) == original
