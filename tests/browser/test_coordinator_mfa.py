"""A coordinator who must use a second factor, in a real browser: no coordinator page without the
code, the code asked on a second step of signing in, and setting up an authenticator."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.accounts.factories import UserFactory, password_for
from tests.accounts.test_second_factor import current_code, enrol

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(settings):
    settings.COORDINATOR_MFA_REQUIRED = True
    return UserFactory(email="claire@example.be", display_name="Claire", roles=[Role.COORDINATOR])


def sign_in(page: Page, user) -> None:
    page.get_by_label("Email address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill(password_for(user))
    page.get_by_role("button", name="Log in").click()


def test_the_referral_queue_needs_the_code_of_the_authenticator(page: Page, coordinator):
    enrol(coordinator)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=True)

    page.goto("/login/?lang=en&next=/coordinator/")
    sign_in(page, coordinator)

    # The password alone: a second step, and still no way into the queue.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your one-time code")
    page.goto("/coordinator/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/coordinator/"))

    page.goto("/login/?next=/coordinator/")
    sign_in(page, coordinator)
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("This code is not right")

    # django-otp makes the device wait a second after a wrong code.
    page.wait_for_timeout(2100)
    page.get_by_label("Code", exact=True).fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral queue")


def test_a_coordinator_without_an_authenticator_sets_one_up_first(page: Page, coordinator):
    page.goto("/login/?lang=en&next=/coordinator/")
    sign_in(page, coordinator)

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    expect(page.locator("figure.qr svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page.get_by_label("Code", exact=True).fill(current_code(device))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral queue")
