"""Rate limits (core/rate_limits.py): registering, getting a token, asking for help and offering
help answer 429 {"code": "rate_limited", "detail"} with Retry-After once the window's attempts
are used up. The limits are set low here; tests/conftest.py gives every test its own counters.
"""

import logging

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import User
from core import rate_limits
from requests_app.models import HelpRequest, Offer
from tests.accounts.factories import UserFactory, password_for
from tests.clients import client_for
from tests.geo.factories import NAMUR
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

REGISTER_URL = "/api/auth/register/"
TOKEN_URL = "/api/auth/token/"
REQUESTS_URL = "/api/requests/"
HOUR = 3600


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def limits(settings):
    """Sets `action` to `attempts` per hour."""

    def set_limit(action: str, attempts: int, window_seconds: int = HOUR) -> None:
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: (attempts, window_seconds)}

    return set_limit


def registration(number: int) -> dict:
    return {
        "email": f"neighbour{number}@example.be",
        "password": "Quiet-meadow-bicycle-71",
        "display_name": f"Neighbour {number}",
        "language": "fr",
        "postcode": "5000",
    }


def help_request_body() -> dict:
    return {
        "category": "shopping",
        "description": "Courses au supermarché.",
        "location": {"lat": NAMUR.y, "lon": NAMUR.x},
        "duration_minutes": 60,
        "recurrence": "once",
    }


def assert_rate_limited(response, window_seconds: int = HOUR) -> None:
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "rate_limited"
    assert response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= window_seconds


# --- Registration -----------------------------------------------------------------------------


def test_registrations_beyond_the_limit_are_refused_and_nothing_is_created(api_client, limits):
    limits("registration", 2)

    for number in range(2):
        assert api_client.post(REGISTER_URL, registration(number), format="json").status_code == 201
    refused = api_client.post(REGISTER_URL, registration(2), format="json")

    assert_rate_limited(refused)
    assert not User.objects.filter(email="neighbour2@example.be").exists()


def test_registrations_are_counted_per_client_address(api_client, limits):
    limits("registration", 1)
    api_client.post(REGISTER_URL, registration(0), format="json", REMOTE_ADDR="192.0.2.1")

    elsewhere = api_client.post(
        REGISTER_URL, registration(1), format="json", REMOTE_ADDR="192.0.2.2"
    )
    again = api_client.post(REGISTER_URL, registration(2), format="json", REMOTE_ADDR="192.0.2.1")

    assert elsewhere.status_code == 201
    assert again.status_code == 429


def test_the_signup_page_shares_the_registration_limit_and_says_why(client, api_client, limits):
    limits("registration", 1)
    api_client.post(REGISTER_URL, registration(0), format="json")

    response = client.post("/signup/?lang=en", registration(1))

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= HOUR
    assert "Too many attempts. Try again in" in response.content.decode()
    assert not User.objects.filter(email="neighbour1@example.be").exists()


def test_showing_the_signup_page_is_not_an_attempt(client, api_client, limits):
    limits("registration", 1)
    for _ in range(3):
        assert client.get("/signup/").status_code == 200

    assert api_client.post(REGISTER_URL, registration(0), format="json").status_code == 201


def test_the_window_resets(api_client, limits, monkeypatch):
    limits("registration", 1)
    now = 1_000_000 * HOUR + 10.0
    monkeypatch.setattr(rate_limits.time, "time", lambda: now)
    api_client.post(REGISTER_URL, registration(0), format="json")
    refused = api_client.post(REGISTER_URL, registration(1), format="json")

    monkeypatch.setattr(rate_limits.time, "time", lambda: now + HOUR)
    next_window = api_client.post(REGISTER_URL, registration(1), format="json")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(HOUR - 10)
    assert next_window.status_code == 201


# --- Token login ------------------------------------------------------------------------------


def test_token_logins_beyond_the_limit_are_refused_even_with_the_right_password(api_client, limits):
    limits("token_login", 2, 600)
    user = UserFactory()
    credentials = {"email": user.email, "password": password_for(user)}

    for _ in range(2):
        assert api_client.post(TOKEN_URL, credentials, format="json").status_code == 200
    refused = api_client.post(TOKEN_URL, credentials, format="json")

    assert_rate_limited(refused, 600)


# --- Requests for help and offers -------------------------------------------------------------


def test_requests_for_help_are_limited_per_person(limits, places):
    limits("help_request_create", 1)
    first_person, second_person = UserFactory(postcode="5000"), UserFactory(postcode="5000")
    client_for(first_person).post(REQUESTS_URL, help_request_body(), format="json")

    refused = client_for(first_person).post(REQUESTS_URL, help_request_body(), format="json")
    someone_else = client_for(second_person).post(REQUESTS_URL, help_request_body(), format="json")

    assert_rate_limited(refused)
    assert someone_else.status_code == 201
    assert HelpRequest.objects.filter(requester=first_person).count() == 1


def test_reading_ones_requests_is_not_limited(limits, places):
    limits("help_request_create", 1)
    person = UserFactory(postcode="5000")
    for _ in range(3):
        assert client_for(person).get(REQUESTS_URL).status_code == 200

    created = client_for(person).post(REQUESTS_URL, help_request_body(), format="json")

    assert created.status_code == 201


def test_offers_are_limited_per_helper(limits, places):
    limits("offer_create", 1)
    helper = VerifiedHelperFactory().user
    first_request, second_request = HelpRequestFactory(), HelpRequestFactory()
    client_for(helper).post(f"/api/requests/{first_request.pk}/offers/", {}, format="json")

    refused = client_for(helper).post(
        f"/api/requests/{second_request.pk}/offers/", {}, format="json"
    )

    assert_rate_limited(refused)
    assert not Offer.objects.filter(request=second_request).exists()


# --- Language and outages ---------------------------------------------------------------------


def test_the_refusal_is_in_the_signed_in_persons_language(limits, places, monkeypatch):
    # The message is looked up with the language that is active at that moment.
    monkeypatch.setattr(rate_limits, "_", lambda message: translation.get_language())
    limits("help_request_create", 1)
    person = UserFactory(postcode="5000", language="nl")
    client = client_for(person)
    client.post(REQUESTS_URL, help_request_body(), format="json")

    refused = client.post(
        REQUESTS_URL, help_request_body(), format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert refused.json()["detail"] == "nl"


def test_the_refusal_before_sign_in_is_in_the_browsers_language(api_client, limits, monkeypatch):
    monkeypatch.setattr(rate_limits, "_", lambda message: translation.get_language())
    limits("registration", 1)
    api_client.post(REGISTER_URL, registration(0), format="json")

    refused = api_client.post(
        REGISTER_URL, registration(1), format="json", HTTP_ACCEPT_LANGUAGE="de"
    )

    assert refused.json()["detail"] == "de"


def test_without_redis_requests_are_allowed_and_a_warning_is_logged(
    api_client, limits, settings, caplog
):
    limits("registration", 1)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    with caplog.at_level(logging.WARNING, logger="core.rate_limits"):
        responses = [
            api_client.post(REGISTER_URL, registration(number), format="json")
            for number in range(2)
        ]

    assert [response.status_code for response in responses] == [201, 201]
    assert "Redis unavailable" in caplog.text
