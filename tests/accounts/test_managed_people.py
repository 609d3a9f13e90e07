"""People without e-mail, taken by phone (issue 15, item 3; CONTRACT.md "Accounts", v2):
POST/GET /api/people/, GET/DELETE /api/people/<id>/, GET /api/people/<id>/export/ and
POST /api/people/<id>/login/."""

from urllib.parse import parse_qs, urlparse

import pytest
from rest_framework.test import APIClient

from accounts.models import ContactPreference, ManagedPerson, PrivacyNoticeAcceptance, User
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from accounts.selectors import person_reached_ids
from tests.accounts.factories import CoordinatorFactory, ManagedPersonFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

# A well-formed Belgian landline as a coordinator types it, and its E.164 form.
TYPED_PHONE, STORED_PHONE = "081 22 33 44", "+3281223344"


def intake(**changes) -> dict:
    return {
        "display_name": "Marcel Dubois",
        "phone": TYPED_PHONE,
        "postcode": "5000",
        "address": "",
        "language": "fr",
        "contact_preference": "coordinator_call",
        "consent": {
            "wording_version": PRIVACY_NOTICE_VERSION,
            "recorded_by_note": "Lu au téléphone, il est d'accord.",
        },
        **changes,
    }


def client_of(user) -> APIClient:
    """Signed in with a session, as on the website: the answers come in the person's language."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def coordinator():
    return CoordinatorFactory(display_name="Cora", language="nl")


# --- Creating a person ---------------------------------------------------------------------------


def test_a_coordinator_records_a_person_without_email_or_login(coordinator):
    colleague = CoordinatorFactory()

    response = client_of(coordinator).post(
        "/api/people/", intake(managed_by=[colleague.pk]), format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    person = User.objects.get(pk=body["id"])
    assert person.email is None and not person.has_usable_password()
    assert person.display_name == "Marcel Dubois" and person.roles == ["helppie"]
    assert body["phone"] == STORED_PHONE
    assert body["managed_by"] == sorted([coordinator.pk, colleague.pk])
    assert body["email"] is None and body["contact_preference"] == "coordinator_call"
    assert body["consent"]["wording_version"] == PRIVACY_NOTICE_VERSION
    assert body["consent"]["recorded_by"] == coordinator.pk
    assert body["consent"]["recorded_by_note"] == "Lu au téléphone, il est d'accord."
    # The consent read out counts as their acceptance of that privacy notice.
    (acceptance,) = PrivacyNoticeAcceptance.objects.filter(user=person)
    assert acceptance.version == PRIVACY_NOTICE_VERSION


def test_two_people_without_email_do_not_collide_on_the_address(coordinator):
    first = client_of(coordinator).post("/api/people/", intake(), format="json")
    second = client_of(coordinator).post(
        "/api/people/", intake(display_name="Jeanne", phone="0470 12 34 56"), format="json"
    )

    assert (first.status_code, second.status_code) == (201, 201)


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("12", "Dit telefoonnummer bestaat niet. Controleer de cijfers."),
        (
            "call me",
            "Dit is geen telefoonnummer. Schrijf het met het voorvoegsel: 0… in België, "
            "+… in het buitenland.",
        ),
        ("0470 12 34 5", "Dit telefoonnummer bestaat niet. Controleer de cijfers."),
    ],
)
def test_a_malformed_phone_is_a_400_in_the_coordinators_language_and_saves_nothing(
    coordinator, phone, message
):
    users_before = User.objects.count()

    response = client_of(coordinator).post("/api/people/", intake(phone=phone), format="json")

    assert response.status_code == 400
    assert response.json()["phone"] == [message]
    assert User.objects.count() == users_before
    assert not ManagedPerson.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact_preference": "letter", "address": ""}, "address"),
        ({"consent": {"wording_version": "1999-01-01"}}, "consent"),
        ({"postcode": "0000"}, "postcode"),
        ({"contact_preference": "pigeon"}, "contact_preference"),
        ({"managed_by": [987654321]}, "managed_by"),
        ({"phone": ["0470123456"]}, "phone"),
        ({"consent": None}, "consent"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(coordinator, changes, field):
    users_before = User.objects.count()

    response = client_of(coordinator).post("/api/people/", intake(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.count() == users_before


def test_a_letter_goes_to_the_address_given(coordinator):
    response = client_of(coordinator).post(
        "/api/people/",
        intake(contact_preference="letter", address="Rue de Fer 1, 5000 Namur"),
        format="json",
    )

    assert response.status_code == 201
    assert ManagedPerson.objects.get().contact_preference == ContactPreference.LETTER


def test_only_coordinators_manage_people(personas):
    for persona, expected in (("anonymous", 401), ("requester", 403), ("helper", 403)):
        client = client_of(personas.persona(persona))
        assert client.post("/api/people/", intake(), format="json").status_code == expected
        assert client.get("/api/people/").status_code == expected


# --- Reading: each team sees its own people -------------------------------------------------------


def test_a_coordinator_lists_and_reads_the_people_of_their_team_only(coordinator):
    ours = ManagedPersonFactory(managed_by=[coordinator, CoordinatorFactory()])
    theirs = ManagedPersonFactory()
    client = client_of(coordinator)

    listed = client.get("/api/people/").json()

    assert [entry["id"] for entry in listed] == [ours.pk]
    assert client.get(f"/api/people/{ours.pk}/").status_code == 200
    assert client.get(f"/api/people/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/people/{theirs.pk}/export/").status_code == 404
    assert client.get("/api/people/987654321/").status_code == 404


# --- Export and erasure ------------------------------------------------------------------------


def test_the_team_exports_the_persons_data_with_their_requests(coordinator, places):
    person = ManagedPersonFactory(managed_by=[coordinator], address="Rue de Fer 1")
    help_request = HelpRequestFactory(requester=person.user, created_by=coordinator)

    export = client_of(coordinator).get(f"/api/people/{person.pk}/export/").json()

    assert export["account"]["id"] == person.pk and export["account"]["email"] is None
    managed = export["account"]["managed_person"]
    assert managed["phone"] == person.phone and managed["address"] == "Rue de Fer 1"
    assert managed["managed_by"] == [coordinator.pk]
    assert managed["consent"]["wording_version"] == PRIVACY_NOTICE_VERSION
    assert [entry["id"] for entry in export["help_requests"]] == [help_request.pk]


def test_someone_elses_export_has_no_managed_person_section(personas):
    export = client_of(personas.requester).get("/api/me/export/").json()

    assert export["account"]["managed_person"] is None


def test_the_team_erases_the_person_and_their_requests_stay_anonymised(coordinator, places):
    person = ManagedPersonFactory(managed_by=[coordinator])
    help_request = HelpRequestFactory(requester=person.user, created_by=coordinator)
    outsider_coordinator = CoordinatorFactory()

    refused = client_of(outsider_coordinator).delete(f"/api/people/{person.pk}/")
    erased = client_of(coordinator).delete(f"/api/people/{person.pk}/")

    assert (refused.status_code, erased.status_code) == (404, 204)
    assert not User.objects.filter(pk=person.pk).exists()
    help_request.refresh_from_db()
    assert help_request.requester_id is None


def test_an_erased_coordinator_leaves_the_team_and_the_consent_stays(coordinator):
    colleague = CoordinatorFactory()
    person = ManagedPersonFactory(managed_by=[coordinator, colleague])
    person.consent_recorded_by = colleague
    person.save()

    client_of(colleague).delete(
        "/api/me/", {"password": "tandem-Factory-pass-2024!"}, format="json"
    )

    person.refresh_from_db()
    assert list(person.managed_by.all()) == [coordinator]
    assert person.consent_recorded_by is None
    assert person.consent_wording_version == PRIVACY_NOTICE_VERSION


# --- A login later, without losing history -------------------------------------------------


def test_the_person_is_given_a_login_later_and_keeps_their_history(
    smtp_mailbox, coordinator, places
):
    person = ManagedPersonFactory(managed_by=[coordinator])
    help_request = HelpRequestFactory(requester=person.user, created_by=coordinator)

    response = client_of(coordinator).post(
        f"/api/people/{person.pk}/login/", {"email": "Marcel@Example.be"}, format="json"
    )

    assert response.status_code == 202
    assert response.json()["email"] == "marcel@example.be"
    assert response.json()["email_verified"] is False
    (message,) = smtp_mailbox.to("marcel@example.be")
    key = parse_qs(urlparse(smtp_mailbox.link(message)).query)["key"][0]
    assert (
        APIClient().post("/api/auth/verify-email/", {"key": key}, format="json").status_code == 200
    )
    # Then they choose their first password through "forgotten password".
    assert (
        APIClient()
        .post("/api/auth/password-reset/", {"email": "marcel@example.be"}, format="json")
        .status_code
        == 202
    )
    (reset,) = [m for m in smtp_mailbox.to("marcel@example.be") if m is not message]
    query = {k: v[0] for k, v in parse_qs(urlparse(smtp_mailbox.link(reset)).query).items()}
    confirmed = APIClient().post(
        "/api/auth/password-reset/confirm/",
        {"uid": query["uid"], "token": query["token"], "new_password": "une phrase bien à moi"},
        format="json",
    )
    assert confirmed.status_code == 200
    token = APIClient().post(
        "/api/auth/token/",
        {"email": "marcel@example.be", "password": "une phrase bien à moi"},
        format="json",
    )
    assert token.status_code == 200
    own = APIClient(HTTP_AUTHORIZATION=f"Token {token.json()['token']}").get("/api/requests/")
    assert [entry["id"] for entry in own.json()] == [help_request.pk]


def test_a_person_with_an_address_already_is_a_409_and_a_taken_address_a_400(coordinator):
    person = ManagedPersonFactory(managed_by=[coordinator])
    taken = CoordinatorFactory(email="taken@example.be")
    client = client_of(coordinator)

    assert (
        client.post(
            f"/api/people/{person.pk}/login/", {"email": taken.email}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/people/{person.pk}/login/", {"email": "marcel@example.be"}, format="json"
        ).status_code
        == 202
    )
    assert (
        client.post(
            f"/api/people/{person.pk}/login/", {"email": "other@example.be"}, format="json"
        ).status_code
        == 409
    )


# --- Who is told of what concerns them ---------------------------------------------------------


def test_a_person_without_login_is_reached_through_their_team_only(coordinator):
    colleague = CoordinatorFactory()
    person = ManagedPersonFactory(managed_by=[coordinator, colleague])

    assert person_reached_ids(person_id=person.pk) == sorted([coordinator.pk, colleague.pk])


def test_once_they_can_sign_in_they_are_told_as_well_as_their_team(coordinator):
    person = ManagedPersonFactory(managed_by=[coordinator])
    person.user.set_password("une phrase bien à moi")
    person.user.save()

    assert person_reached_ids(person_id=person.pk) == [person.pk, coordinator.pk]


def test_a_person_whose_team_left_is_heard_by_the_coordinators_at_large(coordinator):
    person = ManagedPersonFactory(managed_by=[])

    assert person_reached_ids(person_id=person.pk) == [coordinator.pk]


def test_anyone_else_is_reached_themselves(personas):
    assert person_reached_ids(person_id=personas.requester.pk) == [personas.requester.pk]
    assert person_reached_ids(person_id=None) == []
