"""GET/POST /api/helpers/<user id>/vetting/ (CONTRACT.md "Accounts", vetting; docs/VETTING.md):
a helper's verification as a record kept by coordinators, with its whole history."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from matching.models import HelperProfile, VerificationState, VettingChange
from notifications.models import Notification
from tests.accounts.factories import CoordinatorFactory
from tests.clients import client_for
from tests.matching.factories import HelperProfileFactory, SuspendedHelperFactory

pytestmark = pytest.mark.django_db


def url(user_id: int) -> str:
    return f"/api/helpers/{user_id}/vetting/"


def today() -> str:
    return timezone.localdate().isoformat()


def verification(**changes) -> dict:
    body = {
        "state": "verified",
        "reason": "Met at the office, identity card seen.",
        "checks": {"id_document": "identity_card", "interview_on": today()},
    }
    body.update(changes)
    return body


def state_of(user) -> str:
    return HelperProfile.objects.get(user=user).verification_state


# --- Reading ----------------------------------------------------------------------------------


def test_a_new_helper_has_an_empty_record_and_no_history(personas):
    response = client_for(personas.coordinator).get(url(personas.unverified_helper.pk))

    assert response.status_code == 200
    assert response.json() == {
        "helper_id": personas.unverified_helper.pk,
        "display_name": "Uma Unverified",
        "state": "unverified",
        "checks": {
            "id_document": "",
            "interview_on": None,
            "interviewed_by": None,
            "references": None,
            "good_conduct": None,
        },
        "required_checks": [],
        "notes": "",
        "history": [],
    }


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
def test_only_coordinators_read_a_record(personas, persona, status):
    helper = SuspendedHelperFactory()

    response = client_for(getattr(personas, persona)).get(url(helper.user_id))

    assert response.status_code == status
    assert "history" not in response.json()


def test_not_even_the_helper_reads_their_own_record_through_it(personas):
    response = client_for(personas.unverified_helper).get(url(personas.unverified_helper.pk))

    assert response.status_code == 403


def test_unknown_ids_and_people_without_a_helper_profile_are_404(personas):
    client = client_for(personas.coordinator)

    assert client.get(url(10**9)).status_code == 404
    assert client.get(url(personas.outsider.pk)).status_code == 404
    assert client.post(url(10**9), verification(), format="json").status_code == 404


# --- Changing it: the states -------------------------------------------------------------------


def test_a_coordinator_verifies_a_helper_with_the_record(personas):
    response = client_for(personas.coordinator).post(
        url(personas.unverified_helper.pk), verification(), format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "verified"
    assert body["checks"]["id_document"] == "identity_card"
    assert body["checks"]["interview_on"] == today()
    # Nobody named as interviewer: the coordinator recording it held the interview.
    assert body["checks"]["interviewed_by"] == {
        "id": personas.coordinator.pk,
        "display_name": "Cora Coordinator",
    }
    [change] = body["history"]
    assert change["previous_state"] == "unverified"
    assert change["state"] == "verified"
    assert change["by"] == personas.coordinator.pk
    assert change["by_name"] == personas.coordinator.display_name
    assert change["reason"] == "Met at the office, identity card seen."
    profile = HelperProfile.objects.get(user=personas.unverified_helper)
    assert profile.verification_state == VerificationState.VERIFIED
    assert profile.verified_by == personas.coordinator


def test_suspended_then_verified_again_keeps_every_step(personas):
    client = client_for(personas.coordinator)
    helper = personas.unverified_helper
    client.post(url(helper.pk), verification(), format="json")

    suspended = client.post(
        url(helper.pk), {"state": "suspended", "reason": "A complaint to look into."}, format="json"
    )
    assert suspended.status_code == 200
    assert state_of(helper) == VerificationState.SUSPENDED

    again = client.post(
        url(helper.pk),
        {"state": "verified", "reason": "Complaint unfounded after talking with both."},
        format="json",
    )

    assert again.status_code == 200, again.content
    assert state_of(helper) == VerificationState.VERIFIED
    history = again.json()["history"]
    assert [(c["previous_state"], c["state"]) for c in history] == [
        ("unverified", "verified"),
        ("verified", "suspended"),
        ("suspended", "verified"),
    ]
    assert [c["reason"] for c in history][1:] == [
        "A complaint to look into.",
        "Complaint unfounded after talking with both.",
    ]
    # The record stays as it was when they were first verified: nothing to repeat.
    assert history[-1]["checks"]["id_document"] == "identity_card"


def test_the_record_can_be_completed_before_any_decision(personas):
    client = client_for(personas.coordinator)
    helper = personas.unverified_helper

    response = client.post(
        url(helper.pk),
        {
            "state": "unverified",
            "reason": "ID seen at the market stand; interview next week.",
            "checks": {"id_document": "passport"},
            "notes": "Prefers to be called after 18:00.",
        },
        format="json",
    )

    assert response.status_code == 200
    assert state_of(helper) == VerificationState.UNVERIFIED
    assert response.json()["checks"]["id_document"] == "passport"
    assert response.json()["notes"] == "Prefers to be called after 18:00."
    # Then the interview: what was recorded before stays.
    done = client.post(
        url(helper.pk),
        verification(checks={"interview_on": today()}, reason="Interview held."),
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["checks"]["id_document"] == "passport"
    assert done.json()["notes"] == "Prefers to be called after 18:00."


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        ("unverified", "suspended"),
        ("verified", "unverified"),
        ("verified", "rejected"),
        ("suspended", "unverified"),
    ],
)
def test_a_state_that_cannot_follow_is_409(personas, start, wanted):
    helper = HelperProfileFactory(verification_state=start)
    before = VettingChange.objects.count()

    response = client_for(personas.coordinator).post(
        url(helper.user_id), verification(state=wanted), format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "vetting_transition"
    helper.refresh_from_db()
    assert helper.verification_state == start
    assert VettingChange.objects.count() == before


def test_a_coordinator_does_not_vet_themselves():
    coordinator = CoordinatorFactory()
    HelperProfileFactory(user=coordinator)

    response = client_for(coordinator).post(url(coordinator.pk), verification(), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "cannot_verify_self"
    assert not VettingChange.objects.exists()


@pytest.mark.parametrize("persona", ["requester", "helper", "unverified_helper", "outsider"])
def test_only_coordinators_change_a_record(personas, persona):
    response = client_for(getattr(personas, persona)).post(
        url(personas.unverified_helper.pk), verification(), format="json"
    )

    assert response.status_code == 403
    assert state_of(personas.unverified_helper) == VerificationState.UNVERIFIED
    assert not VettingChange.objects.exists()


# --- Bad input: 400, in the coordinator's language, nothing saved -------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (verification(reason=""), "reason"),
        (verification(reason="   "), "reason"),
        (verification(reason=12), "reason"),
        (verification(state="trusted"), "state"),
        (verification(checks={"id_document": "12345678901"}), "checks"),
        (verification(checks={"id_document": "passport", "interview_on": "yesterday"}), "checks"),
        (verification(notes="x" * 4001), "notes"),
        ({"reason": "No state given."}, "state"),
    ],
)
def test_bad_input_is_400_and_changes_nothing(personas, body, field):
    response = client_for(personas.coordinator).post(
        url(personas.unverified_helper.pk), body, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert state_of(personas.unverified_helper) == VerificationState.UNVERIFIED
    assert not VettingChange.objects.exists()


def test_an_interview_in_the_future_is_refused(personas):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_for(personas.coordinator).post(
        url(personas.unverified_helper.pk),
        verification(checks={"id_document": "passport", "interview_on": tomorrow}),
        format="json",
    )

    assert response.status_code == 400
    assert "interview_on" in response.json()
    assert not VettingChange.objects.exists()


def test_the_interviewer_is_a_coordinator(personas):
    response = client_for(personas.coordinator).post(
        url(personas.unverified_helper.pk),
        verification(
            checks={
                "id_document": "passport",
                "interview_on": today(),
                "interviewed_by": personas.outsider.pk,
            }
        ),
        format="json",
    )

    assert response.status_code == 400
    assert "interviewed_by" in response.json()
    assert not VettingChange.objects.exists()


def test_verifying_without_the_id_or_the_interview_is_refused_in_the_coordinators_language(
    personas,
):
    response = client_for(personas.coordinator).post(
        url(personas.unverified_helper.pk),
        {"state": "verified", "reason": "Looks fine."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"id_document", "interview_on"}
    assert body["id_document"] == ["Keur pas goed nadat u het identiteitsbewijs hebt gezien."]
    assert state_of(personas.unverified_helper) == VerificationState.UNVERIFIED
    assert not VettingChange.objects.exists()


@override_settings(HELPER_VETTING_REQUIRED_CHECKS=["good_conduct"])
def test_a_check_the_organisation_requires_must_be_done_before_verifying(personas):
    client = client_for(personas.coordinator)
    helper = personas.unverified_helper

    missing = client.post(url(helper.pk), verification(), format="json")

    assert missing.status_code == 400
    assert list(missing.json()) == ["checks_done"]
    assert state_of(helper) == VerificationState.UNVERIFIED

    done = client.post(
        url(helper.pk),
        verification(
            checks={
                "id_document": "identity_card",
                "interview_on": today(),
                "good_conduct": today(),
            }
        ),
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["required_checks"] == ["good_conduct"]
    assert done.json()["checks"]["good_conduct"] == today()


def test_no_check_beyond_the_id_and_the_interview_is_required_by_default(personas):
    response = client_for(personas.coordinator).post(
        url(personas.unverified_helper.pk), verification(), format="json"
    )

    assert response.status_code == 200
    assert response.json()["required_checks"] == []


# --- The contract's first endpoint stays -----------------------------------------------------


def test_verify_records_the_change_in_the_history(personas):
    client = client_for(personas.coordinator)

    assert client.post(f"/api/helpers/{personas.unverified_helper.pk}/verify/").status_code == 200

    history = client.get(url(personas.unverified_helper.pk)).json()["history"]
    assert [(c["previous_state"], c["state"]) for c in history] == [("unverified", "verified")]


def test_verify_does_not_lift_a_suspension(personas):
    helper = SuspendedHelperFactory()

    response = client_for(personas.coordinator).post(f"/api/helpers/{helper.user_id}/verify/")

    assert response.status_code == 409
    helper.refresh_from_db()
    assert helper.verification_state == VerificationState.SUSPENDED


# --- Suspension tells the coordinators of open matches ---------------------------------------


def test_suspending_a_helper_with_an_open_match_tells_every_coordinator(personas):
    other_coordinator = CoordinatorFactory(display_name="Dirk Coordinator")
    help_request = personas.help_request
    help_request.status = "matched"
    help_request.matched_helper = personas.helper
    help_request.save()

    client_for(personas.coordinator).post(
        url(personas.helper.pk),
        {"state": "suspended", "reason": "A complaint to look into."},
        format="json",
    )

    flagged = Notification.objects.filter(kind="helper.suspended")
    assert {n.recipient_id for n in flagged} >= {personas.coordinator.pk, other_coordinator.pk}
    assert all(n.recipient.is_coordinator for n in flagged)
    assert all(n.params["matched"] == [help_request.pk] for n in flagged)
    assert all(n.params["helper"] == personas.helper.pk for n in flagged)
    assert not flagged.filter(recipient=personas.requester).exists()


def test_suspending_a_helper_without_open_matches_tells_nobody(personas):
    client_for(personas.coordinator).post(
        url(personas.helper.pk), {"state": "suspended", "reason": "On request."}, format="json"
    )

    assert state_of(personas.helper) == VerificationState.SUSPENDED
    assert not Notification.objects.filter(kind="helper.suspended").exists()
