"""Zoom and touch (issue 7, scope 1): every main page, zoomed to 200 % and to 400 %, reads
without scrolling sideways (WCAG 1.4.10 Reflow), and its controls are big enough to hit with a
finger (44 px).

Zooming a 1280 px wide window to 200 % lays the page out in 640 CSS px with two device pixels per
CSS pixel, and to 400 % in 320 CSS px (the width WCAG 1.4.10 names, also a small phone's); that
is what the browser is given here. The pages and personas are those of
tests/browser/test_accessibility.py, maps included (/helper/, a request, /coordinator/helpers/).
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from messaging.models import Conversation
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.browser.test_accessibility import sign_in_as
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.browser

LANGUAGES = ["fr", "nl", "de", "en"]
# A 1280 × 800 window at 200 % and at 400 %: (viewport in CSS px, device pixels per CSS px).
ZOOMS = {
    "200%": ({"width": 640, "height": 400}, 2),
    "400%": ({"width": 320, "height": 200}, 4),
}
MIN_TARGET_PX = 44

# Controls someone taps. Links inside sentences are exempt (WCAG 2.5.5); the language switcher,
# the account links and every form control are not. A checkbox or radio counts with its label,
# which is the target the pages make big (.tile).
TOO_SMALL_TARGETS = """
() => {
  const selector = "button, .button, nav a, input:not([type=hidden]), select, textarea, summary";
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    if (element.getClientRects().length === 0) continue;  // not rendered (closed <details>)
    let target = element;
    if (element.matches("input[type=checkbox], input[type=radio]")) {
      target = element.closest("label") || document.querySelector(`label[for="${element.id}"]`);
    }
    const height = target.getBoundingClientRect().height;
    if (height < MIN) {
      const name = (element.innerText || element.name || element.id || "").trim().slice(0, 40);
      small.push(`<${element.tagName.toLowerCase()}> "${name}": ${Math.round(height)} px`);
    }
  }
  return small;
}
""".replace("MIN", str(MIN_TARGET_PX))


@pytest.fixture(params=list(ZOOMS))
def zoomed(request, browser: Browser, live_server, places) -> Iterator[Page]:
    viewport, scale = ZOOMS[request.param]
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, device_scale_factor=scale
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def main_pages() -> list[tuple[object, list[str]]]:
    """(persona, paths) as in tests/browser/test_accessibility.py; the helper has a request
    nearby, so /helper/ shows its map."""
    requester = UserFactory(display_name="Odette", postcode="5000")
    help_request = HelpRequestFactory(requester=requester)
    helper = VerifiedHelperFactory().user
    OfferFactory(request=help_request, helper=helper)
    HelperProfileFactory()  # someone waiting for verification
    conversation: Conversation = ConversationFactory(participants=[requester, helper])
    MessageFactory(conversation=conversation, sender=helper, body="Je passe mardi à dix heures.")
    return [
        (None, ["/", "/signup/", "/login/", "/carers/assessment/"]),
        (requester, ["/requests/new/", f"/requests/{help_request.pk}/"]),
        (helper, ["/helper/", f"/conversations/{conversation.pk}/"]),
        (CoordinatorFactory(), ["/coordinator/", "/coordinator/helpers/"]),
    ]


def overflow(page: Page) -> int:
    """How many CSS px the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_every_main_page_reflows_when_zoomed_and_has_big_enough_targets(zoomed: Page, live_server):
    # The checks can fail: a fixed-width block overflows, a small button is found.
    zoomed.set_content(
        '<html><body><div style="width: 900px">wide</div><button>x</button></body></html>'
    )
    assert overflow(zoomed) > 1
    assert zoomed.evaluate(TOO_SMALL_TARGETS)

    problems: list[str] = []
    zoomed.goto("/")
    for persona, paths in main_pages():
        sign_in_as(zoomed, persona, base_url=live_server.url)
        for path in paths:
            for language in LANGUAGES:
                zoomed.goto(f"{path}?lang={language}")
                assert zoomed.url.split("?")[0].endswith(path), f"{path} led to {zoomed.url}"
                if (extra := overflow(zoomed)) > 1:
                    problems.append(f"{path} [{language}]: {extra} px too wide")
                problems += [
                    f"{path} [{language}]: {target}"
                    for target in zoomed.evaluate(TOO_SMALL_TARGETS)
                ]
    assert not problems, "\n".join(problems)
