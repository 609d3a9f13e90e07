"""Every main page, in all four languages, as the person who would see it, passes axe-core with
no serious or critical violation (issue 7).

axe-core comes from npm (package.json at the root; `make test` installs it into node_modules/).
One tab is reused: a persona is switched by replacing the session cookie, a language by ?lang=.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page

from messaging.models import Conversation
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.browser.test_carers_assessment import answer_visible_questions
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.browser

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ["fr", "nl", "de", "en"]
BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def sign_in_as(page: Page, user, *, base_url: str) -> None:
    """Replace the tab's cookies with a session of `user` (none: anonymous)."""
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def check_in_every_language(page: Page, path: str, problems: dict[str, list[str]]) -> None:
    separator = "&" if "?" in path else "?"
    for language in LANGUAGES:
        page.goto(f"{path}{separator}lang={language}")
        # The persona really sees the page (not the login form it would be sent to).
        assert page.url.split("?")[0].endswith(path), f"{path} led to {page.url}"
        assert page.locator("html").get_attribute("lang") == language, path
        found = blocking_violations(page)
        if found:
            problems[f"{path} [{language}]"] = found


@pytest.fixture
def page(browser: Browser, live_server, places) -> Iterator[Page]:
    """The harness's tab, but one whose Content-Security-Policy lets axe-core's script in."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1024, "height": 800}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_every_main_page_has_no_serious_or_critical_axe_violation(page: Page, live_server):
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make setup` (npm ci)"
    # The check itself can fail: an image with no text alternative is a critical violation.
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    assert any(line.startswith("image-alt") for line in blocking_violations(page))
    requester = UserFactory(display_name="Odette", postcode="5000")
    help_request = HelpRequestFactory(requester=requester)
    helper = VerifiedHelperFactory().user
    OfferFactory(request=help_request, helper=helper)
    HelperProfileFactory()  # someone waiting for verification, on the coordinator's list
    conversation: Conversation = ConversationFactory(participants=[requester, helper])
    MessageFactory(conversation=conversation, sender=helper, body="Je passe mardi à dix heures.")
    coordinator = CoordinatorFactory()
    pages_by_persona = [
        (None, ["/", "/signup/", "/login/", "/carers/assessment/"]),
        (requester, ["/requests/new/", f"/requests/{help_request.pk}/"]),
        (helper, ["/helper/", f"/conversations/{conversation.pk}/"]),
        (coordinator, ["/coordinator/", "/coordinator/helpers/"]),
    ]
    page.goto("/")
    problems: dict[str, list[str]] = {}
    for persona, paths in pages_by_persona:
        sign_in_as(page, persona, base_url=live_server.url)
        for path in paths:
            check_in_every_language(page, path, problems)

    # The self-assessment's result is kept in the visitor's session: answer it once.
    sign_in_as(page, None, base_url=live_server.url)
    page.goto("/carers/assessment/?lang=en")
    page.get_by_role("button", name="Start").click()
    for _ in range(10):
        if "/result/" in page.url:
            break
        answer_visible_questions(page)
        page.get_by_role("button", name="Continue").click()
    check_in_every_language(page, "/carers/assessment/result/", problems)

    report = "\n".join(f"{where}: {line}" for where, lines in problems.items() for line in lines)
    assert not problems, report
