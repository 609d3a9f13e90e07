"""The Content-Security-Policy (config/security_headers.py) breaks nothing: the pages run their
own scripts and styles without a single violation, and the API docs (Swagger UI) still render."""

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def violations_while_visiting(page: Page, paths: list[str]) -> list[str]:
    reported: list[str] = []
    page.on(
        "console",
        lambda message: (
            reported.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    return reported


def test_pages_run_without_policy_violations(page: Page):
    person = UserFactory(postcode="5000", language="en")
    page.goto("/login/?lang=en")
    page.get_by_label("Email address", exact=True).fill(person.email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation")).to_contain_text(person.display_name)

    reported = violations_while_visiting(page, ["/", "/requests/new/", "/helper/", "/signup/"])

    assert reported == []


def test_the_api_docs_still_render(page: Page):
    reported = violations_while_visiting(page, ["/api/docs/"])

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tandem API")
    assert reported == []
