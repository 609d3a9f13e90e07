"""An anonymous visitor completes the self-assessment in English, sees the outcome, next steps
and local services, and asks to be contacted; a coordinator then finds the referral in the
queue. In a real browser (see conftest.py)."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from carers.models import Referral
from tests.accounts.factories import UserFactory, password_for
from tests.directory.fixtures import service_directory, service_directory_session  # noqa: F401

# The directory is loaded through the fixture (usefixtures), so the local services show.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("service_directory")]

# The answer to give per question (its visible label, start of), for an employee helping
# an 80-year-old parent with 12 autonomy points, 60 hours a month.
RADIO_ANSWERS = {
    "Are you close to the person": "Yes",
    "Do you live in Belgium": "Yes",
    "Are you registered": "Yes",
    "Do you help for free": "Yes",
    "Is at least one professional": "Yes",
    "Do you respect the choices": "Yes",
    "Does the person you help live in Belgium": "Yes",
    "Does the person depend on help": "Yes",
    "What is your work situation": "Employee",
}
NUMBER_ANSWERS = {
    "For how many days in a row": "0",
    "About how many hours a month": "60",
    "How many other people are already recognised": "0",
    "How old is the person": "80",
    "How many points did they get on the autonomy scale": "12",
}


def answer_visible_questions(page: Page) -> None:
    main = page.get_by_role("main")
    for legend in main.locator("fieldset legend").all_inner_texts():
        group = main.get_by_role("group", name=legend, exact=True)
        choice = next(
            (value for start, value in RADIO_ANSWERS.items() if legend.startswith(start)),
            "I don't know",
        )
        group.get_by_label(choice, exact=True).check()
    for field in main.locator("input[type=number]").all():
        label = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        value = next(
            (value for start, value in NUMBER_ANSWERS.items() if label.startswith(start)), ""
        )
        field.fill(value)


def test_a_visitor_checks_recognition_and_asks_to_be_contacted_then_a_coordinator_sees_it(
    page: Page, screenshot_dir
):
    page.goto("/carers/assessment/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you an informal carer?")
    page.get_by_label("Postcode where you live (optional)").fill("5000")
    page.get_by_role("button", name="Start").click()

    for _ in range(10):
        if "/result/" in page.url:
            break
        expect(page.get_by_text(re.compile(r"Part \d of at most 9"))).to_be_visible()
        answer_visible_questions(page)
        page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    expect(page.get_by_test_id("general-status")).to_have_text("Likely")
    expect(page.get_by_test_id("social-status")).to_have_text("Likely")
    next_steps = page.get_by_role("region", name="What to do next")
    expect(next_steps).to_contain_text("Apply for recognition at your own mutualité")
    expect(next_steps).to_contain_text("within 30 days of signing")
    local = page.get_by_role("region", name="Who can help near you")
    expect(local).to_contain_text("CPAS de Namur")
    expect(local).to_contain_text("Your own health insurance fund")
    page.screenshot(path=screenshot_dir / "carers-result-desktop.png", full_page=True)

    expect(page.locator("#consent-wording")).to_contain_text("Wording version 2025-01")
    page.get_by_label("I agree to be contacted, as written above.").check()
    page.get_by_label("Email address").fill("anne.carer@example.be")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("A coordinator will contact you")

    referral = Referral.objects.get()
    assert referral.consent == "given"
    assert referral.assessment.contact == {"email": "anne.carer@example.be"}

    coordinator = UserFactory(
        email="claire@example.be", display_name="Claire", roles=[Role.COORDINATOR]
    )
    page.goto("/login/?lang=en&next=/coordinator/")
    page.get_by_label("Email address", exact=True).fill(coordinator.email)
    page.get_by_label("Password", exact=True).fill(password_for(coordinator))
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Referral queue")
    row = page.get_by_role("row").filter(has_text="Self-assessment")
    expect(row).to_contain_text("Namur")
    expect(row).to_contain_text("Given")
    row.get_by_role("link", name=f"#{referral.pk}").click()
    expect(page.get_by_text("anne.carer@example.be")).to_be_visible()
    assert referral.audit.filter(action="read", actor=coordinator).exists()
