"""POST /api/auth/register/: a new person gets an account as a helppie, or every reason why not."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/auth/register/"
STRONG_PASSWORD = "Quiet-meadow-bicycle-71"


def registration(**changes) -> dict:
    data = {
        "email": "ann.peeters@example.be",
        "password": STRONG_PASSWORD,
        "display_name": "Ann",
        "language": "nl",
        "postcode": "9000",
    }
    data.update(changes)
    return data


def test_it_creates_a_helppie_and_answers_with_the_public_fields(api_client):
    response = api_client.post(URL, registration(), format="json")

    assert response.status_code == 201
    user = User.objects.get(email="ann.peeters@example.be")
    assert response.json() == {
        "id": user.pk,
        "email": "ann.peeters@example.be",
        "display_name": "Ann",
        "language": "nl",
    }
    assert user.roles == ["helppie"]
    assert user.postcode == "9000"


def test_it_stores_only_a_hash_of_the_password(api_client):
    api_client.post(URL, registration(), format="json")

    user = User.objects.get(email="ann.peeters@example.be")
    assert STRONG_PASSWORD not in user.password
    assert user.check_password(STRONG_PASSWORD)


def test_the_new_account_can_get_a_token(api_client):
    api_client.post(URL, registration(email="Ann.Peeters@Example.be"), format="json")

    response = api_client.post(
        "/api/auth/token/",
        {"email": "ann.peeters@example.be", "password": STRONG_PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["token"]


@pytest.mark.parametrize("email", ["taken@example.be", "TAKEN@Example.BE", " taken@example.be "])
def test_it_refuses_an_email_already_registered_whatever_its_case(api_client, email):
    UserFactory(email="taken@example.be")

    response = api_client.post(URL, registration(email=email), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert User.objects.filter(email__iexact="taken@example.be").count() == 1


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("Sh0rt!", id="too short"),
        pytest.param("password123", id="common"),
        pytest.param("73829104658291", id="numeric"),
        pytest.param("ann.peeters@example.be", id="like the email"),
    ],
)
def test_it_refuses_a_weak_password(api_client, password):
    response = api_client.post(URL, registration(password=password), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.exists()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_password_advice_is_in_the_language_of_the_request(api_client, language):
    too_short = "Sh0rt!"

    response = api_client.post(
        URL, registration(password=too_short), format="json", HTTP_ACCEPT_LANGUAGE=language
    )

    messages = response.json()["password"]
    with translation.override(language), pytest.raises(ValidationError) as expected:
        validate_password(too_short)
    with translation.override("en"), pytest.raises(ValidationError) as english:
        validate_password(too_short)
    assert messages == expected.value.messages
    assert messages != english.value.messages


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"language": "es"}, "language"),
        ({"language": ""}, "language"),
        ({"postcode": "10000"}, "postcode"),
        ({"postcode": "10a0"}, "postcode"),
        ({"postcode": "0999"}, "postcode"),  # four digits, but no Belgian postcode
        ({"email": "not-an-email"}, "email"),
        ({"display_name": "   "}, "display_name"),
    ],
)
def test_it_refuses_a_bad_field_and_names_it(api_client, changes, field):
    response = api_client.post(URL, registration(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize("missing", ["email", "password", "display_name", "language", "postcode"])
def test_every_field_is_required(api_client, missing):
    data = registration()
    del data[missing]

    response = api_client.post(URL, data, format="json")

    assert response.status_code == 400
    assert missing in response.json()
