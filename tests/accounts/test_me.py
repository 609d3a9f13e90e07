"""GET and PATCH /api/me/: a signed-in person reads and changes their own profile."""

import pytest

from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from tests.accounts.factories import UserFactory, password_for

pytestmark = pytest.mark.django_db

URL = "/api/me/"


@pytest.fixture
def user():
    return UserFactory(email="ines@example.be", display_name="Inès", language="fr", postcode="5000")


def test_anonymous_is_401_with_a_token_challenge(api_client):
    response = api_client.get(URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_401(api_client):
    response = api_client.get(URL, HTTP_AUTHORIZATION="Token 0123456789abcdef")

    assert response.status_code == 401


def test_with_a_token_it_shows_the_profile(api_client, user):
    token = api_client.post(
        "/api/auth/token/",
        {"email": user.email, "password": password_for(user)},
        format="json",
    ).json()["token"]

    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "email": "ines@example.be",
        "display_name": "Inès",
        "language": "fr",
        "roles": ["helppie"],
        "postcode": "5000",
        "email_verified": False,
        "pending_email": "",
        "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        "two_step_enabled": False,
        "service": None,  # the partner service of a service_worker (issue 14)
    }


def test_with_a_session_it_shows_the_profile(api_client, user):
    api_client.force_login(user)

    response = api_client.get(URL)

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


def test_roles_are_listed(api_client):
    coordinator = UserFactory(coordinator=True)
    api_client.force_authenticate(coordinator)

    assert api_client.get(URL).json()["roles"] == ["coordinator"]


def test_patch_changes_name_language_and_postcode(api_client, user):
    api_client.force_authenticate(user)

    response = api_client.patch(
        URL, {"display_name": "Inès V.", "language": "nl", "postcode": "9000"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Inès V."
    user.refresh_from_db()
    assert (user.display_name, user.language, user.postcode) == ("Inès V.", "nl", "9000")


def test_patch_leaves_fields_not_sent_alone(api_client, user):
    api_client.force_authenticate(user)

    api_client.patch(URL, {"language": "de"}, format="json")

    user.refresh_from_db()
    assert (user.display_name, user.language, user.postcode) == ("Inès", "de", "5000")


@pytest.mark.parametrize(
    "changes",
    [
        {"language": "es"},
        {"postcode": "0999"},
        {"postcode": "abcd"},
        {"display_name": ""},
        {"display_name": "x" * 81},
    ],
)
def test_patch_refuses_bad_values_and_changes_nothing(api_client, user, changes):
    api_client.force_authenticate(user)

    response = api_client.patch(URL, {"language": "nl", **changes}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == set(changes)
    user.refresh_from_db()
    assert (user.display_name, user.language, user.postcode) == ("Inès", "fr", "5000")


@pytest.mark.parametrize("field", ["email", "roles", "id"])
def test_patch_cannot_change_email_roles_or_id(api_client, user, field):
    api_client.force_authenticate(user)
    before = api_client.get(URL).json()

    api_client.patch(URL, {field: ["coordinator"] if field == "roles" else 999}, format="json")

    assert api_client.get(URL).json() == before


def test_patch_anonymous_is_401(api_client):
    assert api_client.patch(URL, {"language": "nl"}, format="json").status_code == 401
