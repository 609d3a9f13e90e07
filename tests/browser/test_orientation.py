"""Issue 16, acceptance: a request that mentions living alone and no longer seeing anyone shows
the orientation block with the person's own CPAS/OCMW and the first-line psychological care
route, in their language. A Dutch-speaking person in Ghent, in a real browser."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.accounts.factories import UserFactory
from tests.directory.fixtures import service_directory, service_directory_session  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("service_directory")]

LONELY = (
    "Ik woon alleen en zie niemand meer sinds de winter. Wie wil met mij naar de markt op zaterdag?"
)


def signed_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_lonely_request_shows_the_own_ocmw_and_psychological_care_in_dutch(
    page: Page, live_server
):
    person = UserFactory(language="nl", postcode="9000", email="an@example.be")
    signed_in(page, live_server, person)

    page.goto("/requests/new/")
    page.locator("[name=category][value=shopping]").check()
    page.locator("[name=description]").fill(LONELY)
    page.locator("[name=postcode]").fill("9000")
    page.locator("[name=duration_minutes]").select_option("60")
    page.locator("[name=recurrence][value=weekly]").check()
    page.locator("form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/requests/\d+/"))
    note = page.get_by_role("complementary", name="Hulp die verder gaat dan deze vraag")
    expect(note).to_be_visible()
    expect(note).to_contain_text("OCMW Gent")
    expect(note).to_contain_text("Eerstelijnspsychologische zorg")
    expect(note).to_contain_text("ziekenfonds")


def test_an_ordinary_request_shows_no_orientation_block(page: Page, live_server):
    person = UserFactory(language="nl", postcode="9000", email="jan@example.be")
    signed_in(page, live_server, person)

    page.goto("/requests/new/")
    page.locator("[name=category][value=shopping]").check()
    page.locator("[name=description]").fill("Boodschappen naar boven dragen, tweede verdiep.")
    page.locator("[name=postcode]").fill("9000")
    page.locator("[name=duration_minutes]").select_option("60")
    page.locator("[name=recurrence][value=weekly]").check()
    page.locator("form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/requests/\d+/"))
    expect(page.locator(".orientation-note")).to_have_count(0)
