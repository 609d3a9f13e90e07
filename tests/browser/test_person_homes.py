"""The home page of each persona, the coordinator's batch page, and the bell, in Chromium.

- Each persona signs in and lands on a home that shows what waits for them.
- A coordinator runs the batch as a page: the dry run first, then "create these proposals";
  the helper then sees the proposal on their home and helper page.
- The bell: its count is rendered by the server, goes up live when a neighbour offers help
  (through a real Uvicorn, Redis and /ws/notifications/), and reads 0 after "Mark all as read".
"""

import json
import urllib.request

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from ranking.models import Proposal
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.browser.test_messaging_live import signed_in_page
from tests.matching.factories import VerifiedHelperFactory
from tests.messaging.servers import uvicorn_servers
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.browser


def sign_in(page, user, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def test_each_persona_lands_on_a_home_of_their_own(page, live_server, personas):
    requester, helper, coordinator = personas.requester, personas.helper, personas.coordinator
    OfferFactory(request=personas.help_request, helper=helper)

    sign_in(page, requester, live_server.url)
    page.goto("/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Anne Lambert")
    expect(page.get_by_role("heading", name="Your requests for help")).to_be_visible()
    expect(page.locator("#offers-to-answer")).to_contain_text("Bruno offers to help: Shopping")
    expect(page.locator("#my-requests")).to_contain_text("Open")
    # The offer's link leads to the request, where it can be accepted.
    page.locator("#offers-to-answer a").first.click()
    expect(page).to_have_url(f"{live_server.url}/requests/{personas.help_request.pk}/")

    sign_in(page, helper, live_server.url)
    page.goto("/?lang=en")
    expect(page.get_by_role("heading", name="Your help")).to_be_visible()
    expect(page.locator("#hours-this-month")).to_have_text("0 minutes")
    expect(page.locator("#nearby")).to_contain_text("Shopping, about")

    sign_in(page, coordinator, live_server.url)
    page.goto("/?lang=en")
    expect(page.get_by_role("heading", name="Coordination")).to_be_visible()
    expect(page.locator('[data-queue="open_requests"]')).to_have_text("1")
    expect(page.locator('[data-queue="without_candidates"]')).to_have_text("0")


def test_the_coordinator_runs_the_batch_as_a_page_and_the_helper_sees_the_proposal(
    page, live_server
):
    helper = VerifiedHelperFactory(user__display_name="Hugo").user
    help_request = HelpRequestFactory(category="gardening")
    helper.helper_profile.categories = ["gardening"]
    helper.helper_profile.save()
    coordinator = CoordinatorFactory(display_name="Cora")

    sign_in(page, coordinator, live_server.url)
    page.goto("/?lang=en")
    page.get_by_role("link", name="Propose requests to helpers (batch)").click()
    page.get_by_role("button", name="Show the plan (dry run)").click()

    expect(page.get_by_role("heading", name="Dry run: the plan")).to_be_visible()
    expect(page.locator("#plan")).to_contain_text("Hugo")
    expect(page.locator("#plan")).to_contain_text("Gardening")
    assert not Proposal.objects.exists()  # a dry run writes nothing

    page.get_by_role("button", name="Create these proposals").click()
    expect(page.get_by_role("status")).to_contain_text("1 proposal created.")
    expect(page.locator("#created-proposals")).to_contain_text("Hugo")
    assert Proposal.objects.get().request_id == help_request.pk

    sign_in(page, helper, live_server.url)
    page.goto("/?lang=en")
    expect(page.locator("#proposals")).to_contain_text("Gardening")
    page.locator("#proposals a").first.click()
    expect(page.get_by_role("heading", name="A coordinator asks you")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_bell_counts_live_and_reads_zero_after_mark_all_read(browser, places):
    requester = UserFactory(display_name="Anne", language="en", postcode="5000")
    help_request = HelpRequestFactory(requester=requester)
    first_helper = VerifiedHelperFactory(user__language="en").user
    second_helper = VerifiedHelperFactory(user__language="en").user
    OfferFactory(request=help_request, helper=first_helper)  # no notification: made directly

    with uvicorn_servers(1) as (server,):
        context, tab = signed_in_page(browser, server, requester)
        try:
            tab.goto("/?lang=en")
            bell = tab.locator("#notification-bell")
            expect(bell.locator("[data-unread-count]")).to_have_text("0")
            expect(bell).to_have_attribute("aria-label", "Notifications (0 unread)")

            # A neighbour offers through the API of the same server: the bell goes up live.
            token = Token.objects.create(user=second_helper)
            offer = urllib.request.Request(
                f"{server}/api/requests/{help_request.pk}/offers/",
                data=json.dumps({"message": "Mardi?"}).encode(),
                headers={
                    "Authorization": f"Token {token.key}",
                    "Content-Type": "application/json",
                },
                method="POST",
            )
            assert urllib.request.urlopen(offer, timeout=10).status == 201
            expect(bell.locator("[data-unread-count]")).to_have_text("1", timeout=10_000)
            expect(bell).to_have_attribute("aria-label", "Notifications (1 unread)")

            bell.click()
            expect(tab.get_by_role("heading", level=1)).to_have_text("Notifications")
            tab.get_by_role("button", name="Mark all as read").click()
            expect(tab.locator("#notification-bell [data-unread-count]")).to_have_text("0")
            tab.goto("/?lang=en")
            expect(tab.locator("#notification-bell [data-unread-count]")).to_have_text("0")
            expect(tab.locator("#notification-bell")).to_have_attribute(
                "aria-label", "Notifications (0 unread)"
            )
        finally:
            context.close()
