"""POST /api/auth/token/: a token for the right email and password; lockout after repeated
failures, counted per (account, address) and lifted after the cool-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from tests.accounts.factories import UserFactory, password_for

pytestmark = pytest.mark.django_db

URL = "/api/auth/token/"
ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"


def sign_in(client, email, password, address=ATTACKER):
    return client.post(
        URL, {"email": email, "password": password}, format="json", REMOTE_ADDR=address
    )


def fail_until_locked(client, email, address=ATTACKER):
    """Wrong passwords up to the limit; returns the answers."""
    return [
        sign_in(client, email, f"wrong-{attempt}", address)
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]


@pytest.fixture
def user():
    return UserFactory(email="marc@example.be")


def test_the_right_password_gives_the_users_token(api_client, user):
    response = sign_in(api_client, "marc@example.be", password_for(user))

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_the_same_token_comes_back_on_the_next_sign_in(api_client, user):
    first = sign_in(api_client, "marc@example.be", password_for(user)).json()["token"]
    second = sign_in(api_client, "marc@example.be", password_for(user)).json()["token"]

    assert first == second


def test_the_email_is_matched_whatever_its_case(api_client, user):
    response = sign_in(api_client, " Marc@EXAMPLE.be", password_for(user))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("marc@example.be", "not-his-password"),
        ("nobody@example.be", password_for(None)),
    ],
    ids=["wrong password", "unknown email"],
)
def test_wrong_credentials_are_a_400_that_does_not_say_which_part_was_wrong(
    api_client, user, email, password
):
    response = sign_in(api_client, email, password)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert "token" not in response.json()


def test_an_inactive_account_gets_no_token(api_client):
    user = UserFactory(email="gone@example.be", is_active=False)

    response = sign_in(api_client, "gone@example.be", password_for(user))

    assert response.status_code == 400


def test_the_token_authenticates_api_calls(api_client, user):
    token = sign_in(api_client, "marc@example.be", password_for(user)).json()["token"]

    response = api_client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json()["email"] == "marc@example.be"


# --- Lockout ---------------------------------------------------------------------------------


def test_failures_below_the_limit_are_plain_400s(api_client, user):
    answers = fail_until_locked(api_client, "marc@example.be")

    assert [answer.status_code for answer in answers[:-1]] == [400] * (
        settings.AXES_FAILURE_LIMIT - 1
    )


def test_reaching_the_limit_locks_out_even_the_right_password(api_client, user):
    answers = fail_until_locked(api_client, "marc@example.be")

    response = sign_in(api_client, "marc@example.be", password_for(user))

    assert answers[-1].status_code == 429
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert response.json()["detail"]
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert not Token.objects.filter(user=user).exists()


def test_changing_the_case_of_the_email_does_not_give_more_attempts(api_client, user):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(api_client, "marc@example.be".upper() if attempt % 2 else "marc@example.be", "x")

    response = sign_in(api_client, "Marc@Example.be", password_for(user))

    assert response.status_code == 429


def test_the_lockout_message_is_in_the_language_of_the_request(api_client, user):
    fail_until_locked(api_client, "marc@example.be")

    english = api_client.post(
        URL,
        {"email": "marc@example.be", "password": password_for(user)},
        format="json",
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Too many failed attempts" in english.json()["detail"]


def test_the_same_account_from_another_address_is_not_locked(api_client, user):
    fail_until_locked(api_client, "marc@example.be", address=ATTACKER)

    response = sign_in(api_client, "marc@example.be", password_for(user), address=OTHER_ADDRESS)

    assert response.status_code == 200


def test_another_account_from_the_same_address_is_not_locked(api_client, user):
    other = UserFactory(email="lea@example.be")
    fail_until_locked(api_client, "marc@example.be", address=ATTACKER)

    response = sign_in(api_client, "lea@example.be", password_for(other), address=ATTACKER)

    assert response.status_code == 200


def test_the_lock_lifts_after_the_cool_off(api_client, user):
    fail_until_locked(api_client, "marc@example.be")
    assert sign_in(api_client, "marc@example.be", password_for(user)).status_code == 429

    # Move the recorded failures back in time instead of waiting.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert sign_in(api_client, "marc@example.be", password_for(user)).status_code == 200


def test_the_lock_holds_until_the_cool_off_is_over(api_client, user):
    fail_until_locked(api_client, "marc@example.be")

    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )

    assert sign_in(api_client, "marc@example.be", password_for(user)).status_code == 429


def test_a_success_clears_the_earlier_failures(api_client, user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(api_client, "marc@example.be", "wrong")
    assert sign_in(api_client, "marc@example.be", password_for(user)).status_code == 200

    answers = [
        sign_in(api_client, "marc@example.be", "wrong")
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1)
    ]

    assert {answer.status_code for answer in answers} == {400}


def test_failures_on_the_login_page_and_the_api_count_together(api_client, user):
    # Django's login form passes the address as `username`; the API passes `email`.
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        page_request = RequestFactory().post("/login/", REMOTE_ADDR=ATTACKER)
        assert authenticate(page_request, username="Marc@example.be", password="wrong") is None

    answers = [
        sign_in(api_client, "marc@example.be", "wrong"),
        sign_in(api_client, "marc@example.be", password_for(user)),
    ]

    assert [answer.status_code for answer in answers] == [429, 429]
