"""Stored XSS: what people type (a display name, a request's description) is shown as text on the
pages that display it to others, never run. Each page is checked twice over: no script ran
(window.__xss stays undefined) and no element was made from the text (no <img src=x>), so the
test holds by escaping alone, whatever the Content-Security-Policy would also block.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.accounts.factories import DEFAULT_PASSWORD, CoordinatorFactory, UserFactory
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.browser

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'


def signed_in_tab(browser: Browser, live_server, email: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.goto("/login/?lang=en")
    tab.get_by_label("Email address", exact=True).fill(email)
    tab.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    expect(tab.get_by_role("navigation")).to_be_visible()
    return tab


def assert_shown_as_text(tab: Page, path: str) -> None:
    tab.goto(path)
    expect(tab.locator("main")).to_contain_text(PAYLOAD)
    assert tab.evaluate("typeof window.__xss") == "undefined"
    assert tab.locator("img[src='x']").count() == 0
    assert tab.locator("main script").count() == 0


def test_names_and_descriptions_are_shown_as_text_where_others_read_them(
    browser: Browser, live_server, places
):
    requester = UserFactory(display_name=PAYLOAD, postcode="5000", language="en")
    help_request = HelpRequestFactory(requester=requester, description=PAYLOAD)
    helper = VerifiedHelperFactory(user__display_name=PAYLOAD, user__language="en").user
    OfferFactory(request=help_request, helper=helper)
    HelperProfileFactory(user__display_name=PAYLOAD)  # waits in the coordinator's queue
    coordinator = CoordinatorFactory(language="en")

    requester_tab = signed_in_tab(browser, live_server, requester.email)
    helper_tab = signed_in_tab(browser, live_server, helper.email)
    coordinator_tab = signed_in_tab(browser, live_server, coordinator.email)
    try:
        # The request page: its description, and the offering helper's name.
        assert_shown_as_text(requester_tab, f"/requests/{help_request.pk}/")
        expect(requester_tab.locator("main h3", has_text=PAYLOAD)).to_be_visible()
        # The helper's list of requests nearby.
        assert_shown_as_text(helper_tab, "/helper/")
        # The coordinator's queue of helpers to verify.
        assert_shown_as_text(coordinator_tab, "/coordinator/helpers/")
        # The name in the navigation bar, on every page.
        expect(requester_tab.get_by_role("navigation")).to_contain_text(PAYLOAD)
    finally:
        for tab in (requester_tab, helper_tab, coordinator_tab):
            tab.context.close()
