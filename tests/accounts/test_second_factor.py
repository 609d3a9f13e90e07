"""Coordinators' second factor (CONTRACT.md "Accounts", v2): TOTP from an authenticator app or
a single-use recovery code, required with COORDINATOR_MFA_REQUIRED, for the API and the pages."""

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.second_factor import totp_enrolment_confirm, totp_enrolment_device
from tests.accounts.factories import UserFactory, password_for

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(user) -> list[str]:
    """Sets up an authenticator the way the page does; returns the recovery codes."""
    device = totp_enrolment_device(user=user)
    codes = totp_enrolment_confirm(user=user, code=current_code(device))
    assert codes
    # A code is accepted once (replay protection): later tests must wait for the next step.
    device.refresh_from_db()
    device.last_t -= 1
    device.save()
    return codes


@pytest.fixture
def required(settings):
    settings.COORDINATOR_MFA_REQUIRED = True


@pytest.fixture
def no_wait_after_wrong_codes(settings):
    """django-otp makes a device wait after a wrong code (1 s, then 2, 4...): tests that try
    a right code just after a wrong one switch the wait off."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def coordinator():
    return UserFactory(roles=["coordinator"], email="cora@example.be", language="en")


def token_request(user, **extra):
    return APIClient().post(
        "/api/auth/token/",
        {"email": user.email, "password": password_for(user), **extra},
        format="json",
    )


def test_without_the_requirement_a_coordinator_signs_in_with_a_password(coordinator):
    assert token_request(coordinator).status_code == 200


def test_a_coordinator_without_an_authenticator_gets_no_token(required, coordinator):
    response = token_request(coordinator)

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
    assert "one-time code" in response.json()["detail"]


def test_an_old_token_of_a_coordinator_without_mfa_reads_no_referral(required, coordinator):
    token = Token.objects.create(user=coordinator).key

    response = APIClient().get("/api/referrals/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"


def test_a_session_without_the_second_factor_reads_no_referral(required, coordinator):
    client = Client()
    client.force_login(coordinator)

    assert client.get("/api/referrals/").status_code == 401
    page = client.get("/coordinator/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-step/")


def test_with_the_code_the_coordinator_gets_a_token_that_reads_referrals(
    required, coordinator, no_wait_after_wrong_codes
):
    enrol(coordinator)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)

    without = token_request(coordinator)
    wrong = token_request(coordinator, otp="000000")
    right = token_request(coordinator, otp=current_code(device))

    assert without.status_code == wrong.status_code == 401
    assert wrong.json()["code"] == "mfa_required"
    assert right.status_code == 200
    token = right.json()["token"]
    assert (
        APIClient().get("/api/referrals/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    )


def test_each_recovery_code_works_once(required, coordinator, no_wait_after_wrong_codes):
    codes = enrol(coordinator)

    first = token_request(coordinator, otp=codes[0].upper())
    again = token_request(coordinator, otp=codes[0])
    second = token_request(coordinator, otp=codes[1])

    assert first.status_code == 200
    assert again.status_code == 401
    assert second.status_code == 200


def test_setting_up_the_authenticator_ends_tokens_made_without_it(coordinator):
    token = Token.objects.create(user=coordinator).key

    enrol(coordinator)

    assert not Token.objects.filter(key=token).exists()


def test_a_wrong_code_at_set_up_changes_nothing(coordinator):
    totp_enrolment_device(user=coordinator)

    assert totp_enrolment_confirm(user=coordinator, code="not a code") is None
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()


def test_a_helper_may_turn_it_on_and_is_asked_for_it_too(settings):
    helper = UserFactory(roles=["helpper"])
    enrol(helper)

    assert token_request(helper).status_code == 401
    assert token_request(helper).json()["code"] == "mfa_required"


# --- The pages ---------------------------------------------------------------------------------


def test_the_sign_in_page_asks_for_the_code_on_a_second_step(
    required, coordinator, no_wait_after_wrong_codes
):
    enrol(coordinator)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)
    client = Client()

    step_one = client.post(
        "/login/?next=/coordinator/",
        {
            "email": coordinator.email,
            "password": password_for(coordinator),
            "next": "/coordinator/",
        },
    )
    assert step_one["Location"].startswith("/login/code/")
    assert client.get("/coordinator/").status_code == 302  # not signed in yet

    wrong = client.post("/login/code/", {"code": "123456", "next": "/coordinator/"})
    assert wrong.status_code == 400
    # Not signed in yet: in the language of the page.
    assert "Ce code n&#x27;est pas le bon" in wrong.content.decode()

    right = client.post("/login/code/", {"code": current_code(device), "next": "/coordinator/"})
    assert right["Location"] == "/coordinator/"
    assert client.get("/coordinator/").status_code == 200
    assert client.get("/api/referrals/").status_code == 200


def test_a_coordinator_without_an_authenticator_is_sent_to_set_one_up(required, coordinator):
    client = Client()
    client.post("/login/", {"email": coordinator.email, "password": password_for(coordinator)})

    page = client.get("/coordinator/")
    assert page["Location"] == "/account/two-step/?next=%2Fcoordinator%2F"
    set_up = client.get(page["Location"])
    assert set_up.status_code == 200 and b"<svg" in set_up.content

    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    codes_page = client.post("/account/two-step/", {"code": current_code(device)})

    assert codes_page.status_code == 200
    assert codes_page.content.decode().count("<li><code>") == 10
    assert client.get("/coordinator/").status_code == 200


def test_wrong_codes_are_explained_in_the_users_language(required):
    dutch = UserFactory(roles=["coordinator"], language="nl")
    client = Client()
    client.force_login(dutch)

    response = client.post("/account/two-step/", {"code": "000000"})

    assert response.status_code == 400
    assert "Deze code klopt niet" in response.content.decode()


def test_after_a_wrong_code_even_the_right_one_waits(required, coordinator):
    enrol(coordinator)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)

    token_request(coordinator, otp="000000")

    assert token_request(coordinator, otp=current_code(device)).status_code == 401
