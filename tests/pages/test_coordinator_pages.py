"""/coordinator/helpers/ and /coordinator/requests/new/: coordinators only."""

import pytest
from django.utils import timezone

from matching.models import VerificationState, VettingChange
from requests_app.models import HelpRequest
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.matching.factories import HelperProfileFactory
from tests.pages.conftest import client_for
from tests.pages.html import assert_every_control_is_labelled, assert_light, page_of

HELPERS_URL = "/coordinator/helpers/"
ON_BEHALF_URL = "/coordinator/requests/new/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return HelperProfileFactory(user__display_name="Nadia Peeters")


@pytest.mark.parametrize("url", [HELPERS_URL, ON_BEHALF_URL])
@pytest.mark.parametrize(
    "persona, status",
    [("anonymous", 302), ("outsider", 403), ("helper", 403), ("coordinator", 200)],
)
def test_only_coordinators_open_these_pages(personas, newcomer, url, persona, status):
    response = client_for(getattr(personas, persona)).get(url)

    assert response.status_code == status
    if status == 200:
        assert_light(response)
        assert_every_control_is_labelled(response)


def test_unverified_helpers_are_listed_with_the_checks_to_record(personas, newcomer):
    client = client_for(personas.coordinator)
    verify_url = f"/coordinator/helpers/{newcomer.user_id}/verify/"
    prefix = f"verify-{newcomer.user_id}"

    html = client.get(HELPERS_URL).content.decode()
    assert "Nadia Peeters" in html
    assert "Bruno" not in html  # already verified

    no_interview = client.post(
        verify_url, {f"{prefix}-id_document": "identity_card", f"{prefix}-reason": "Seen."}
    )
    newcomer.refresh_from_db()
    assert no_interview.status_code == 200
    assert newcomer.verification_state == VerificationState.UNVERIFIED
    assert not VettingChange.objects.exists()
    field = page_of(no_interview).by_id(f"id_{prefix}-interview_on")
    assert field.attrs.get("aria-invalid") == "true"

    done = client.post(
        verify_url,
        {
            f"{prefix}-id_document": "identity_card",
            f"{prefix}-interview_on": timezone.localdate().isoformat(),
            f"{prefix}-reason": "Met at the office.",
        },
        follow=True,
    )
    newcomer.refresh_from_db()
    assert newcomer.verification_state == VerificationState.VERIFIED
    assert newcomer.verified_by == personas.coordinator
    assert "Nadia Peeters is verified" in done.content.decode()
    change = VettingChange.objects.get(profile=newcomer)
    assert (change.id_document, change.interviewed_by, change.reason) == (
        "identity_card",
        personas.coordinator,
        "Met at the office.",
    )


def test_others_cannot_verify(personas, newcomer):
    prefix = f"verify-{newcomer.user_id}"
    data = {
        f"{prefix}-id_document": "identity_card",
        f"{prefix}-interview_on": timezone.localdate().isoformat(),
        f"{prefix}-reason": "Met at the office.",
    }

    response = client_for(personas.helper).post(
        f"/coordinator/helpers/{newcomer.user_id}/verify/", data
    )

    assert response.status_code == 403
    newcomer.refresh_from_db()
    assert newcomer.verification_state == VerificationState.UNVERIFIED


def request_answers(**changes) -> dict:
    data = {
        "person_email": "",
        "category": "transport",
        "description": "Conduire Madame chez le médecin jeudi matin.",
        "postcode": "",
        "duration_minutes": "120",
        "recurrence": "once",
        "for_someone_else": "no",
    }
    data.update(changes)
    return data


def test_a_coordinator_asks_on_behalf_of_an_existing_person(personas):
    person = UserFactory(email="jeanne@example.be", postcode="5000", display_name="Jeanne")
    client = client_for(personas.coordinator)

    response = client.post(ON_BEHALF_URL, request_answers(person_email="Jeanne@Example.be"))

    help_request = HelpRequest.objects.get(requester=person)
    assert response["Location"] == f"/requests/{help_request.pk}/"
    assert help_request.requester == person
    assert help_request.created_by == personas.coordinator
    # No postcode given: the person's own.
    assert help_request.postcode == "5000"
    assert "Jeanne" in client.get(response["Location"]).content.decode()
    # The person sees it as theirs.
    assert client_for(person).get(response["Location"]).status_code == 200


def test_an_unknown_email_is_explained_next_to_the_field(personas):
    response = client_for(personas.coordinator).post(
        ON_BEHALF_URL, request_answers(person_email="nobody@example.be")
    )

    assert not HelpRequest.objects.filter(description__startswith="Conduire").exists()
    assert page_of(response).by_id("id_person_email").attrs.get("aria-invalid") == "true"


def test_a_coordinator_who_is_also_asked_for_is_not_special_cased(db):
    coordinator = CoordinatorFactory(email="coord@example.be", postcode="5000")

    client_for(coordinator).post(ON_BEHALF_URL, request_answers(person_email="coord@example.be"))

    assert HelpRequest.objects.get().requester == coordinator
