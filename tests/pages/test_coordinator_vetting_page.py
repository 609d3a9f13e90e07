"""/coordinator/helpers/<user id>/: one helper's vetting record, its history and the form that
changes it (docs/VETTING.md). Server-rendered: a plain form, no script needed."""

import pytest
from django.utils import timezone

from matching.models import HelperProfile, VerificationState, VettingChange
from tests.matching.factories import HelperProfileFactory, SuspendedHelperFactory
from tests.pages.conftest import client_for
from tests.pages.html import assert_every_control_is_labelled, assert_light, page_of

pytestmark = pytest.mark.django_db


def page_url(user_id: int) -> str:
    return f"/coordinator/helpers/{user_id}/"


def answers(**changes) -> dict:
    data = {
        "state": "verified",
        "reason": "Met at the office.",
        "id_document": "identity_card",
        "interview_on": timezone.localdate().isoformat(),
        "interviewed_by": "",
        "references": "",
        "good_conduct": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_page_shows_the_record_and_its_history(personas):
    helper = SuspendedHelperFactory(user__display_name="Nadia Peeters")

    response = client_for(personas.coordinator).get(page_url(helper.user_id))

    assert response.status_code == 200
    assert_light(response)
    assert_every_control_is_labelled(response)
    html = response.content.decode()
    assert "Vetting of Nadia Peeters" in html
    assert "Identity card" in html
    assert "A complaint is being looked into." in html  # the suspension's reason
    assert "Verified → Suspended" in html
    assert "Not verified yet → Verified" in html


def test_the_page_is_in_the_coordinators_language(personas):
    helper = SuspendedHelperFactory()

    html = client_for(personas.coordinator, language="nl").get(page_url(helper.user_id))

    assert "Geschiedenis" in html.content.decode()
    assert "Controlefiche opslaan" in html.content.decode()


def test_a_coordinator_suspends_a_helper_from_the_page(personas):
    client = client_for(personas.coordinator)

    response = client.post(
        page_url(personas.helper.pk),
        answers(state="suspended", reason="A complaint to look into."),
        follow=True,
    )

    assert response.status_code == 200
    assert "The vetting record is saved." in response.content.decode()
    assert HelperProfile.objects.get(user=personas.helper).verification_state == "suspended"
    change = VettingChange.objects.get(profile__user=personas.helper)
    assert (change.previous_state, change.state, change.changed_by) == (
        "verified",
        "suspended",
        personas.coordinator,
    )
    assert "A complaint to look into." in response.content.decode()


def test_verified_again_from_the_page(personas):
    helper = SuspendedHelperFactory()

    client_for(personas.coordinator).post(
        page_url(helper.user_id), answers(reason="Complaint unfounded.")
    )

    helper.refresh_from_db()
    assert helper.verification_state == VerificationState.VERIFIED
    assert list(helper.vetting_changes.values_list("state", flat=True)) == [
        "verified",
        "suspended",
        "verified",
    ]


def test_a_missing_reason_shows_the_form_again_and_saves_nothing(personas):
    helper = HelperProfileFactory()

    response = client_for(personas.coordinator).post(page_url(helper.user_id), answers(reason=""))

    assert response.status_code == 400
    assert page_of(response).by_id("id_reason").attrs.get("aria-invalid") == "true"
    helper.refresh_from_db()
    assert helper.verification_state == VerificationState.UNVERIFIED
    assert not VettingChange.objects.exists()


def test_verifying_without_the_interview_is_refused_next_to_the_field(personas):
    helper = HelperProfileFactory()

    response = client_for(personas.coordinator).post(
        page_url(helper.user_id), answers(interview_on="")
    )

    assert response.status_code == 400
    assert page_of(response).by_id("id_interview_on").attrs.get("aria-invalid") == "true"
    assert not VettingChange.objects.exists()


def test_an_impossible_change_is_refused_with_a_message(personas):
    response = client_for(personas.coordinator).post(
        page_url(personas.helper.pk), answers(state="unverified"), follow=True
    )

    assert "cannot become" in response.content.decode()
    assert HelperProfile.objects.get(user=personas.helper).verification_state == "verified"
    assert not VettingChange.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("helper", 403), ("outsider", 403)])
def test_others_neither_see_nor_change_it(personas, persona, status):
    helper = SuspendedHelperFactory()
    client = client_for(getattr(personas, persona))

    assert client.get(page_url(helper.user_id)).status_code == status
    assert client.post(page_url(helper.user_id), answers()).status_code == status
    helper.refresh_from_db()
    assert helper.verification_state == VerificationState.SUSPENDED


def test_a_coordinator_finds_a_helper_by_e_mail(personas):
    response = client_for(personas.coordinator).get(
        "/coordinator/helpers/find/", {"email": personas.helper.email.upper()}
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(personas.helper.pk)


def test_suspended_helpers_are_listed_for_the_coordinators(personas):
    helper = SuspendedHelperFactory(user__display_name="Samir Suspended")

    html = client_for(personas.coordinator).get("/coordinator/helpers/").content.decode()

    assert "Samir Suspended" in html
    assert page_url(helper.user_id) in html


def test_a_suspended_helper_reads_why_they_cannot_offer_on_their_page(personas):
    helper = SuspendedHelperFactory()

    html = client_for(helper.user).get("/helper/").content.decode()

    assert "suspended your helper profile" in html


@pytest.mark.parametrize("email", ["nobody@example.invalid", "", "a\x00b@example.be"])
def test_an_unknown_or_absurd_address_says_so(personas, email):
    response = client_for(personas.coordinator).get(
        "/coordinator/helpers/find/", {"email": email}, follow=True
    )

    assert response.status_code == 200
    assert "No helper with this e-mail address." in response.content.decode()
