"""The whole request flow in a real browser (issue 3, acceptance): a helper sets a profile and is
verified, a requester posts, the helper offers, the requester accepts, the helper logs a visit,
the requester confirms it. Three people, three browser contexts, one live server.

The pages are read in English so that the test does not depend on the wording of a translation;
tests/pages/ checks each page in detail.
"""

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from matching.models import HelperProfile, VerificationState
from requests_app.models import HelpRequest, RequestStatus, Visit
from tests.accounts.factories import DEFAULT_PASSWORD, CoordinatorFactory

pytestmark = pytest.mark.browser

PASSWORD = "trois tartines au sirop de Liège"
PHONE = {"width": 390, "height": 844}


def new_person(browser: Browser, live_server) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1024, "height": 800}
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def sign_up(page: Page, *, email: str, name: str) -> None:
    page.goto("/signup/?lang=en")
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Your name", exact=True).fill(name)
    page.get_by_label("Language", exact=True).select_option("en")
    page.get_by_label("Postcode", exact=True).fill("5000")
    page.get_by_label("I have read the privacy notice and I accept it").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("navigation")).to_contain_text(name)


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_helper_verified_requester_posts_helper_offers_accepted_visit_confirmed(
    browser: Browser, live_server, places, screenshot_dir
):
    helper_context, helper = new_person(browser, live_server)
    requester_context, requester = new_person(browser, live_server)
    coordinator_context, coordinator = new_person(browser, live_server)
    try:
        # 1. A neighbour signs up and says how they would like to help.
        sign_up(helper, email="hugo@example.be", name="Hugo")
        helper.goto("/helper/")
        helper.get_by_label("Shopping", exact=True).check()
        helper.get_by_label("Company", exact=True).check()
        helper.get_by_label("How many hours a week, at most?").fill("3")
        helper.get_by_label("Day", exact=True).first.select_option("1")
        helper.get_by_label("From", exact=True).first.fill("09:00")
        helper.get_by_label("Until", exact=True).first.fill("12:00")
        helper.get_by_role("button", name="Save my profile").click()
        expect(helper.get_by_role("status")).to_contain_text("Your helper profile is saved.")
        expect(helper.locator(".verification")).to_contain_text("Not verified yet")
        helper.set_viewport_size(PHONE)
        helper.reload()
        helper.get_by_text("Change your profile").click()
        assert fits_the_phone(helper)
        helper.screenshot(path=screenshot_dir / "helper-phone.png", full_page=True)
        helper.set_viewport_size({"width": 1024, "height": 800})

        # 2. A coordinator saw their ID and talked with them, and verifies them.
        CoordinatorFactory(email="coord@example.be", language="en")
        coordinator.goto("/login/?lang=en")
        coordinator.get_by_label("Email address", exact=True).fill("coord@example.be")
        coordinator.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
        coordinator.get_by_role("button", name="Log in").click()
        coordinator.goto("/coordinator/helpers/")
        card = coordinator.locator("section", has_text="Hugo")
        card.get_by_label("Identity document seen").select_option("identity_card")
        # "Talked with them on" is today unless changed.
        card.get_by_label("Why you verify them").fill("Met at the office.")
        card.get_by_role("button", name="Verify Hugo").click()
        expect(coordinator.get_by_role("status")).to_contain_text("Hugo is verified")
        profile = HelperProfile.objects.get(user__email="hugo@example.be")
        assert profile.verification_state == VerificationState.VERIFIED

        # 3. Someone nearby asks for help.
        sign_up(requester, email="odette@example.be", name="Odette")
        requester.set_viewport_size(PHONE)
        requester.goto("/requests/new/")
        expect(requester.get_by_label("Postcode", exact=True)).to_have_value("5000")
        # With JavaScript, the municipality is named as the postcode is typed.
        expect(requester.locator("#postcode-place")).to_contain_text("Namur")
        # The questions about someone else only appear when they apply.
        expect(requester.get_by_label("Their age")).to_be_hidden()
        assert fits_the_phone(requester)
        requester.screenshot(path=screenshot_dir / "request-new-phone.png", full_page=True)
        requester.set_viewport_size({"width": 1024, "height": 800})
        requester.get_by_label("Shopping", exact=True).check()
        requester.get_by_label("Tell us in a few words").fill("Carry my shopping upstairs")
        requester.get_by_label("How long will it take?").select_option(label="1 hour")
        requester.get_by_label("Every week", exact=True).check()
        requester.get_by_role("button", name="Send my request").click()
        expect(requester.get_by_role("status")).to_contain_text("Your request is online")
        help_request = HelpRequest.objects.get(requester__email="odette@example.be")
        expect(requester).to_have_url(re.compile(rf"/requests/{help_request.pk}/$"))

        # 4. The helper finds it nearby and offers.
        helper.goto("/helper/")
        nearby = helper.locator(".panel", has_text="Carry my shopping upstairs")
        helper.screenshot(path=screenshot_dir / "helper-nearby-desktop.png", full_page=True)
        nearby.get_by_role("button", name="I can help").click()
        expect(helper.get_by_role("status")).to_contain_text("Your offer is sent")

        # 5. The requester accepts; a conversation opens.
        requester.reload()
        requester.get_by_role("button", name="Accept the help of Hugo").click()
        expect(requester.locator(".status-line")).to_contain_text("Hugo is helping.")
        expect(requester.get_by_role("link", name="Open the conversation")).to_be_visible()

        # 6. The helper logs a visit, from their page.
        helper.goto("/helper/")
        helper.get_by_role("link", name="Shopping: log a visit").click()
        helper.get_by_label("How long did you help?").select_option(label="1 hour 30 minutes")
        helper.get_by_role("button", name="Save this visit").click()
        expect(helper.get_by_role("status")).to_contain_text("Your visit is saved")

        # 7. The requester confirms it.
        requester.reload()
        requester.get_by_role("button", name="Yes, this visit took place").click()
        expect(requester.get_by_role("status")).to_contain_text("the visit is confirmed")
        requester.set_viewport_size(PHONE)
        assert fits_the_phone(requester)
        requester.screenshot(path=screenshot_dir / "request-detail-phone.png", full_page=True)

        help_request.refresh_from_db()
        visit = Visit.objects.get(request=help_request)
        assert help_request.status == RequestStatus.MATCHED
        assert help_request.matched_helper.email == "hugo@example.be"
        assert (str(visit.hours), visit.confirmed_by_requester) == ("1.50", True)
    finally:
        for context in (helper_context, requester_context, coordinator_context):
            context.close()
