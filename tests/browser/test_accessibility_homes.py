"""The pages of issue 13 (the homes, the batch page, the inbox with its push section, the
notification settings, the offline page), in all four languages, as the person who sees them:
no serious or critical axe violation. Same check as tests/browser/test_accessibility.py, in a
module of its own so that each stays within the per-test time limit on a loaded machine."""

import pytest

from tests.browser.test_accessibility import (  # noqa: F401 — `page` is a fixture
    AXE_SCRIPT,
    blocking_violations,
    check_in_every_language,
    page,
    sign_in_as,
)
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.ranking.factories import ProposalFactory
from tests.requests_app.factories import HelpRequestFactory, OfferFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_the_homes_and_the_batch_page_have_no_serious_or_critical_axe_violation(
    page,  # noqa: F811
    live_server,
    personas,
):
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make setup` (npm ci)"
    requester, helper, coordinator = personas.requester, personas.helper, personas.coordinator
    OfferFactory(request=personas.help_request, helper=personas.other_helper)
    matched = HelpRequestFactory(requester=requester, status="matched", matched_helper=helper)
    VisitFactory(request=matched)
    ProposalFactory(helper=helper)
    conversation = ConversationFactory(participants=[requester, helper], request=matched)
    MessageFactory(conversation=conversation, sender=helper, body="Mardi à dix heures ?")
    pages_by_persona = [
        (None, ["/offline/"]),
        (requester, ["/", "/notifications/", "/notifications/settings/"]),
        (helper, ["/", "/notifications/settings/"]),
        (coordinator, ["/", "/coordinator/batch/"]),
    ]
    page.goto("/")
    problems: dict[str, list[str]] = {}
    for persona, paths in pages_by_persona:
        sign_in_as(page, persona, base_url=live_server.url)
        for path in paths:
            check_in_every_language(page, path, problems)
    # The batch page with its plan shown (after the dry run).
    sign_in_as(page, coordinator, base_url=live_server.url)
    page.goto("/coordinator/batch/?lang=en")
    page.get_by_role("button", name="Show the plan (dry run)").click()
    page.get_by_role("heading", name="Dry run: the plan").wait_for()
    found = blocking_violations(page)
    if found:
        problems["/coordinator/batch/ (plan)"] = found

    report = "\n".join(f"{where}: {line}" for where, lines in problems.items() for line in lines)
    assert not problems, report
