"""A coordinator takes a phone call (issue 15, item 3, acceptance), in a real browser: they record
a person with a phone number and no e-mail, post a request for them, a helper offers, the
coordinator accepts on the person's behalf, a conversation opens between the coordinator team
and the helper, and the person's data appears in their export.

Read in English, like tests/browser/test_request_flow.py; tests/pages/ checks each page.
"""

import json
import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import ManagedPerson
from messaging.models import Conversation
from notifications.models import Notification
from requests_app.models import HelpRequest, RequestStatus
from tests.accounts.factories import DEFAULT_PASSWORD, CoordinatorFactory
from tests.matching.factories import VerifiedHelperFactory

pytestmark = pytest.mark.browser


def signed_in(browser: Browser, live_server, email: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1024, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login/?lang=en")
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation")).to_be_visible()
    return context, page


def test_a_coordinator_takes_a_phone_call_for_someone_without_email(
    browser: Browser, live_server, places, screenshot_dir
):
    cora = CoordinatorFactory(email="cora@example.be", display_name="Cora", language="en")
    colin = CoordinatorFactory(email="colin@example.be", display_name="Colin", language="en")
    hugo = VerifiedHelperFactory(
        user__email="hugo@example.be", user__display_name="Hugo", user__language="en"
    ).user
    coordinator_context, coordinator = signed_in(browser, live_server, cora.email)
    helper_context, helper = signed_in(browser, live_server, hugo.email)
    try:
        # 1. Marcel phones; he has no e-mail. Cora records him, with Colin in his team.
        coordinator.goto("/coordinator/people/")
        coordinator.get_by_label("Their name", exact=True).fill("Marcel Dubois")
        coordinator.get_by_label("Phone number", exact=True).fill("081 22 33 44")
        coordinator.get_by_label("Postcode", exact=True).fill("5000")
        coordinator.get_by_label("Their language", exact=True).select_option("fr")
        coordinator.get_by_label("Phone call by the coordinator", exact=True).check()
        coordinator.get_by_label("I read the privacy notice to them and they agreed to it").check()
        coordinator.get_by_label("Colin", exact=True).check()
        coordinator.screenshot(path=screenshot_dir / "people-intake-desktop.png", full_page=True)
        coordinator.get_by_role("button", name="Record this person").click()
        expect(coordinator.get_by_role("status")).to_contain_text("Marcel Dubois is recorded")
        marcel = ManagedPerson.objects.select_related("user").get()
        assert marcel.user.email is None and not marcel.user.has_usable_password()
        assert marcel.phone == "+3281223344"

        # 2. On the intake page Marcel is already chosen; Cora writes down what he needs.
        expect(coordinator).to_have_url(
            re.compile(rf"/coordinator/requests/new/\?person={marcel.pk}$")
        )
        expect(coordinator.get_by_label("A person without e-mail you manage")).to_have_value(
            str(marcel.pk)
        )
        coordinator.get_by_label("Shopping", exact=True).check()
        coordinator.get_by_label("Tell us in a few words").fill("Carry the shopping up for Marcel")
        coordinator.get_by_label("How long will it take?").select_option(label="1 hour")
        coordinator.get_by_label("Once", exact=True).check()
        coordinator.get_by_role("button", name="Send my request").click()
        expect(coordinator.get_by_role("status")).to_contain_text(
            "The request of Marcel Dubois is online"
        )
        help_request = HelpRequest.objects.get(requester=marcel.user)
        assert help_request.created_by == cora

        # 3. Hugo finds it nearby and offers; Marcel's whole team hears of it, Marcel does not.
        helper.goto("/helper/")
        nearby = helper.locator(".panel", has_text="Carry the shopping up for Marcel")
        nearby.get_by_role("button", name="I can help").click()
        expect(helper.get_by_role("status")).to_contain_text("Your offer is sent")
        for member in (cora, colin):
            assert Notification.objects.filter(recipient=member, kind="offer.received").exists()
        assert not Notification.objects.filter(recipient=marcel.user).exists()

        # 4. Cora accepts on Marcel's behalf; a conversation opens with the team and Hugo.
        coordinator.goto(f"/requests/{help_request.pk}/")
        coordinator.get_by_role("button", name="Accept the help of Hugo").click()
        expect(coordinator.locator(".status-line")).to_contain_text("Hugo is helping.")
        coordinator.get_by_role("link", name="Open the conversation").click()
        expect(coordinator).to_have_url(re.compile(r"/conversations/\d+/$"))
        conversation = Conversation.objects.get(request=help_request)
        assert set(conversation.participants.values_list("pk", flat=True)) == {
            cora.pk,
            colin.pk,
            hugo.pk,
        }
        help_request.refresh_from_db()
        assert help_request.status == RequestStatus.MATCHED
        helper.goto(f"/conversations/{conversation.pk}/")
        expect(helper.get_by_role("heading", level=1)).to_be_visible()

        # 5. Marcel's data, his request included, is in his export.
        coordinator.goto("/coordinator/people/")
        with coordinator.expect_download() as download:
            coordinator.get_by_role("link", name="Download the data of Marcel Dubois").click()
        export = json.loads(open(download.value.path(), encoding="utf-8").read())
        assert export["account"]["id"] == marcel.pk and export["account"]["email"] is None
        assert export["account"]["managed_person"]["phone"] == "+3281223344"
        assert export["account"]["managed_person"]["managed_by"] == sorted([cora.pk, colin.pk])
        assert [entry["id"] for entry in export["help_requests"]] == [help_request.pk]
    finally:
        for context in (coordinator_context, helper_context):
            context.close()
