"""Someone who cannot use a mouse signs up, posts a request and answers the carers'
self-assessment with the keyboard alone (issue 7): Tab, Shift+Tab, Enter, Space, the arrow keys
and typing. The test reads where the focus is, as a screen reader would say it, but never clicks.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from carers.models import Assessment
from requests_app.models import HelpRequest
from tests.browser.test_carers_assessment import NUMBER_ANSWERS, RADIO_ANSWERS

pytestmark = pytest.mark.browser

PASSWORD = "trois tartines au sirop de Liège"
# What the focused element is: enough to decide which key to press next.
FOCUSED = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels[0] ? element.labels[0].innerText.trim() : "";
  const legend = element.closest("fieldset")?.querySelector("legend")?.innerText.trim() ?? "";
  return {
    tag: element.tagName.toLowerCase(), type: element.type || "", name: element.name || "",
    id: element.id, checked: !!element.checked, label, legend,
    text: element.innerText ? element.innerText.trim() : "",
    inMain: !!element.closest("main"),
  };
}"""
MOST_TABS = 80


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, matches, *, key: str = "Tab") -> dict:
    """Press Tab (or `key`) until the focused element satisfies `matches`; fail if never."""
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"{MOST_TABS} presses of {key} never reached the element looked for")


def tab_to_id(page: Page, element_id: str) -> dict:
    return tab_to(page, lambda element: element["id"] == element_id)


def tab_to_button(page: Page, name: str) -> dict:
    return tab_to(
        page,
        lambda element: (
            element["tag"] == "button" and element["inMain"] and element["text"] == name
        ),
    )


def choose_radio(page: Page, wanted: str) -> None:
    """With the focus on a radio group, pick the option labelled `wanted` with the arrow keys."""
    if focused(page)["label"] == wanted:
        page.keyboard.press("Space")
        return
    for _ in range(12):
        page.keyboard.press("ArrowDown")
        if focused(page)["label"] == wanted:
            return
    raise AssertionError(f"no option {wanted!r} in the group")


def test_sign_up_post_a_request_and_self_assess_with_the_keyboard_alone(page: Page):
    # 1. Sign up.
    page.goto("/signup/?lang=en")
    tab_to_id(page, "id_email")
    page.keyboard.type("nadia@example.be")
    tab_to_id(page, "id_password")
    page.keyboard.type(PASSWORD)
    tab_to_id(page, "id_display_name")
    page.keyboard.type("Nadia")
    tab_to_id(page, "id_language")
    page.keyboard.type("English")
    tab_to_id(page, "id_postcode")
    page.keyboard.type("5000")
    # Back and forth: Shift+Tab returns to the name without losing it.
    tab_to(page, lambda element: element["id"] == "id_display_name", key="Shift+Tab")
    assert page.evaluate("document.activeElement.value") == "Nadia"
    # The privacy notice: Space ticks its box.
    tab_to_id(page, "id_privacy_notice")
    page.keyboard.press("Space")
    tab_to_button(page, "Create my account")
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation")).to_contain_text("Nadia")
    user = User.objects.get(email="nadia@example.be")
    assert (user.display_name, user.language, user.postcode) == ("Nadia", "en", "5000")

    # 2. Post a request.
    page.goto("/requests/new/?lang=en")
    tab_to(page, lambda element: element["name"] == "category")
    choose_radio(page, "Shopping")
    tab_to(page, lambda element: element["name"] == "description")
    page.keyboard.type("Carry my shopping upstairs")
    tab_to(page, lambda element: element["name"] == "duration_minutes")
    page.keyboard.press("ArrowDown")
    tab_to(page, lambda element: element["name"] == "recurrence")
    choose_radio(page, "Every week")
    tab_to_button(page, "Send my request")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your request is online")
    help_request = HelpRequest.objects.get(requester=user)
    assert (help_request.category, help_request.recurrence) == ("shopping", "weekly")
    assert help_request.description == "Carry my shopping upstairs"

    # 3. The self-assessment, one page of questions after the other.
    page.goto("/carers/assessment/?lang=en")
    tab_to(page, lambda element: element["label"].startswith("Postcode where you live"))
    page.keyboard.type("5000")
    tab_to_button(page, "Start")
    page.keyboard.press("Enter")
    for _ in range(10):
        expect(page.get_by_text(re.compile(r"Part \d of at most 9|Your result"))).to_be_visible()
        if "/result/" in page.url:
            break
        answer_the_page_with_the_keyboard(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    expect(page.get_by_test_id("general-status")).to_have_text("Likely")
    assert Assessment.objects.get().postcode == "5000"


def answer_the_page_with_the_keyboard(page: Page) -> None:
    """Tab through the questions of one page, answering each, then Enter on Continue."""
    answered_groups: set[str] = set()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] == "button" and element["text"] == "Continue":
            page.keyboard.press("Enter")
            page.wait_for_load_state()
            return
        if element["type"] == "radio" and element["name"] not in answered_groups:
            answered_groups.add(element["name"])
            wanted = next(
                (
                    value
                    for start, value in RADIO_ANSWERS.items()
                    if element["legend"].startswith(start)
                ),
                "I don't know",
            )
            choose_radio(page, wanted)
        elif element["type"] == "number":
            value = next(
                (
                    value
                    for start, value in NUMBER_ANSWERS.items()
                    if element["label"].startswith(start)
                ),
                "",
            )
            page.keyboard.type(value)
    raise AssertionError("the Continue button was never reached with Tab")
