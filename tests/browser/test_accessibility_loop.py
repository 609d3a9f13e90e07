"""The closed loop's pages (issue 14), in all four languages, as the person who sees them: no
serious or critical axe violation. Same check as tests/browser/test_accessibility.py, in a module
of its own, one test per persona, so that each stays within the per-test time limit on a loaded
machine."""

from types import SimpleNamespace

import pytest

from carers.services.loop import (
    referral_consent_ask,
    referral_consent_record,
    referral_partner_move,
    referral_send,
)
from tests.browser.test_accessibility import (  # noqa: F401 — `page` is a fixture
    AXE_SCRIPT,
    blocking_violations,
    check_in_every_language,
    page,
    sign_in_as,
)
from tests.browser.test_closed_loop import namur_cpas
from tests.carers.factories import ReferralFactory
from tests.directory.factories import ServiceWorkerFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def loop(coordinator):
    """A CPAS's worker; a referral the service accepted (with its steps), and another the
    person is asked to agree to."""
    cpas = namur_cpas()
    worker = ServiceWorkerFactory(service=cpas, user__display_name="Wanda").user
    worked = ReferralFactory(person__display_name="Marie")
    referral_consent_record(
        referral=worked,
        actor=coordinator,
        service=cpas,
        wording_version="2026-12",
        given_by="coordinator",
        note="By phone",
    )
    referral_send(referral=worked, coordinator=coordinator, service=cpas)
    referral_partner_move(referral=worked, worker=worker, service=cpas, move="accept")
    asked = ReferralFactory(person=worked.person)
    referral_consent_ask(referral=asked, coordinator=coordinator, service=cpas)
    return SimpleNamespace(worker=worker, referral=worked, person=worked.person)


def check(tab, live_server, persona, paths: list[str]) -> dict[str, list[str]]:
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make setup` (npm ci)"
    tab.goto("/")
    problems: dict[str, list[str]] = {}
    sign_in_as(tab, persona, base_url=live_server.url)
    for path in paths:
        check_in_every_language(tab, path, problems)
    return problems


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {line}" for where, lines in problems.items() for line in lines)


def test_the_workers_pages(page, live_server, loop):  # noqa: F811
    referral = loop.referral
    paths = ["/", "/partner/referrals/", f"/partner/referrals/{referral.pk}/"]
    problems = check(page, live_server, loop.worker, paths)
    # An answer with a mistake: the error summary and the fields marked.
    page.goto(f"/partner/referrals/{referral.pk}/?lang=en")
    page.get_by_role("button", name="Close the referral").click()
    page.get_by_role("heading", name="Something needs your attention").wait_for()
    found = blocking_violations(page)
    if found:
        problems["/partner/referrals/ (close without an outcome)"] = found
    assert not problems, report(problems)


def test_the_persons_pages(page, live_server, loop):  # noqa: F811
    problems = check(page, live_server, loop.person, ["/account/referrals/", "/account/"])
    assert not problems, report(problems)


def test_the_coordinators_referral_page(page, live_server, loop, coordinator):  # noqa: F811
    problems = check(
        page, live_server, coordinator, [f"/coordinator/referrals/{loop.referral.pk}/"]
    )
    assert not problems, report(problems)
