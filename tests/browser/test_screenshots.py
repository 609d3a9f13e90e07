"""`make screenshots`: the main pages at phone (390×844) and desktop (1280×900) widths, written
to screenshots/ (git-ignored) for a person to look at. Skipped unless SCREENSHOTS is set, so the
ordinary test run does not spend time on it."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.browser.test_accessibility import sign_in_as
from tests.matching.factories import VerifiedHelperFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.screenshots,
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="run by `make screenshots`"),
]

OUTPUT_DIR = Path(settings.BASE_DIR) / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def test_screenshots_of_the_main_pages(page: Page, live_server):
    requester = UserFactory(display_name="Odette", postcode="5000")
    help_request = HelpRequestFactory(requester=requester)
    helper = VerifiedHelperFactory().user
    OfferFactory(request=help_request, helper=helper)
    conversation = ConversationFactory(participants=[requester, helper])
    MessageFactory(conversation=conversation, sender=helper, body="Je passe mardi à dix heures.")
    pages_by_persona = [
        (
            None,
            {
                "home": "/",
                "signup": "/signup/",
                "login": "/login/",
                "carers-assessment": "/carers/assessment/",
            },
        ),
        (
            requester,
            {"request-new": "/requests/new/", "request-detail": f"/requests/{help_request.pk}/"},
        ),
        (helper, {"helper": "/helper/", "conversation": f"/conversations/{conversation.pk}/"}),
        (
            CoordinatorFactory(),
            {"coordinator": "/coordinator/", "coordinator-helpers": "/coordinator/helpers/"},
        ),
    ]
    OUTPUT_DIR.mkdir(exist_ok=True)
    written = []
    page.goto("/")
    for persona, paths in pages_by_persona:
        sign_in_as(page, persona, base_url=live_server.url)
        for name, path in paths.items():
            for device, size in SIZES.items():
                page.set_viewport_size(size)
                page.goto(path)
                assert page.url.split("?")[0].endswith(path), f"{path} led to {page.url}"
                target = OUTPUT_DIR / f"{name}-{device}.png"
                page.screenshot(path=target, full_page=True)
                written.append(target)
    assert all(target.stat().st_size > 0 for target in written)
    print(f"\n{len(written)} screenshots in {OUTPUT_DIR}")
