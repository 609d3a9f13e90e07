"""/coordinator/people/: a coordinator records a person without e-mail who phoned, then posts
their request on /coordinator/requests/new/?person=<id> (issue 15, item 3). Without JavaScript,
in the coordinator's language."""

import json

import pytest

from accounts.models import ManagedPerson, User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from requests_app.models import HelpRequest
from tests.accounts.factories import CoordinatorFactory, ManagedPersonFactory
from tests.pages.conftest import client_for
from tests.pages.html import assert_every_control_is_labelled, assert_light, page_of
from tests.pages.test_coordinator_pages import ON_BEHALF_URL, request_answers

PEOPLE_URL = "/coordinator/people/"

pytestmark = pytest.mark.django_db


def person_answers(**changes) -> dict:
    return {
        "display_name": "Marcel Dubois",
        "phone": "081 22 33 44",
        "postcode": "5000",
        "address": "",
        "language": "fr",
        "contact_preference": "coordinator_call",
        "consent": "on",
        "consent_note": "Lu au téléphone.",
        "consent_wording_version": PRIVACY_NOTICE_VERSION,
        **changes,
    }


@pytest.mark.parametrize(
    "persona, status",
    [("anonymous", 302), ("outsider", 403), ("helper", 403), ("coordinator", 200)],
)
def test_only_coordinators_open_the_page(personas, persona, status):
    response = client_for(getattr(personas, persona)).get(PEOPLE_URL)

    assert response.status_code == status
    if status == 200:
        assert_light(response)
        assert_every_control_is_labelled(response)


def test_a_coordinator_records_a_person_then_asks_for_help_for_them(personas):
    client = client_for(personas.coordinator)

    recorded = client.post(PEOPLE_URL, person_answers())

    person = ManagedPerson.objects.get()
    assert recorded.status_code == 302
    assert recorded["Location"] == f"{ON_BEHALF_URL}?person={person.pk}"
    assert person.user.email is None and person.phone == "+3281223344"
    assert list(person.managed_by.all()) == [personas.coordinator]
    intake = client.get(recorded["Location"])
    page = page_of(intake)
    people = page.elements[page.elements.index(page.by_id("id_person")) + 1 :]
    chosen = [o.attrs["value"] for o in people if o.tag == "option" and "selected" in o.attrs]
    assert chosen[0] == str(person.pk)

    asked = client.post(ON_BEHALF_URL, request_answers(person=str(person.pk)))

    help_request = HelpRequest.objects.get(requester=person.user)
    assert asked["Location"] == f"/requests/{help_request.pk}/"
    assert help_request.postcode == "5000"
    assert help_request.created_by == personas.coordinator


def test_a_malformed_phone_is_shown_in_french_and_nothing_is_saved(personas):
    users_before = User.objects.count()

    response = client_for(personas.coordinator, "fr").post(
        PEOPLE_URL, person_answers(phone="12345")
    )

    assert response.status_code == 400
    assert page_of(response).by_id("id_phone").attrs.get("aria-invalid") == "true"
    assert "Ce numéro de téléphone n'existe pas." in page_of(response).text()
    assert User.objects.count() == users_before


def test_the_consent_must_be_recorded(personas):
    response = client_for(personas.coordinator).post(PEOPLE_URL, person_answers(consent=""))

    assert response.status_code == 400
    assert not ManagedPerson.objects.exists()


def test_a_person_of_another_team_cannot_be_picked(personas):
    theirs = ManagedPersonFactory()

    response = client_for(personas.coordinator).post(
        ON_BEHALF_URL, request_answers(person=str(theirs.pk))
    )

    assert response.status_code == 200
    assert page_of(response).by_id("id_person").attrs.get("aria-invalid") == "true"
    assert not HelpRequest.objects.filter(requester=theirs.user).exists()


def test_the_team_downloads_the_persons_data(personas):
    person = ManagedPersonFactory(managed_by=[personas.coordinator])

    response = client_for(personas.coordinator).get(f"{PEOPLE_URL}{person.pk}/export/")
    other = client_for(CoordinatorFactory()).get(f"{PEOPLE_URL}{person.pk}/export/")

    assert response.status_code == 200 and other.status_code == 404
    assert json.loads(response.content)["account"]["managed_person"]["phone"] == person.phone


def test_the_team_gives_a_login_from_the_page(personas):
    person = ManagedPersonFactory(managed_by=[personas.coordinator])

    response = client_for(personas.coordinator).post(
        f"{PEOPLE_URL}{person.pk}/login/", {f"login-{person.pk}-email": "marcel@example.be"}
    )

    assert response.status_code == 302
    person.user.refresh_from_db()
    assert person.user.email == "marcel@example.be" and not person.user.email_verified


# --- How to reach them, on the request's page --------------------------------------------------


def matched_request_of(person, helper):
    from requests_app.services import match_confirm
    from tests.requests_app.factories import HelpRequestFactory, OfferFactory

    help_request = HelpRequestFactory(requester=person.user)
    match_confirm(offer=OfferFactory(request=help_request, helper=helper))
    return help_request


@pytest.mark.parametrize(
    ("preference", "helper_sees_phone"), [("helper_sms", True), ("coordinator_call", False)]
)
def test_the_team_and_an_sms_helper_see_how_to_reach_the_person(
    personas, preference, helper_sees_phone
):
    person = ManagedPersonFactory(
        managed_by=[personas.coordinator],
        contact_preference=preference,
        phone="+3281223344",
        address="Rue de Fer 1",
    )
    help_request = matched_request_of(person, personas.helper)
    url = f"/requests/{help_request.pk}/"

    team_page = page_of(client_for(personas.coordinator).get(url)).text()
    helper_page = page_of(client_for(personas.helper).get(url)).text()
    other_page = client_for(CoordinatorFactory()).get(url).content.decode()

    assert "081 22 33 44" in team_page and "Rue de Fer 1" in team_page
    assert ("081 22 33 44" in helper_page) is helper_sees_phone
    assert "Rue de Fer 1" not in helper_page
    assert "081 22 33 44" not in other_page
