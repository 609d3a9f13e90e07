"""Django's admin, used by the site's staff, works under our Content-Security-Policy
(config/security_headers.py): its pages run without a single policy violation and never reach
for a third-party server (GeoDjango's default map widget would load OpenLayers from a CDN)."""

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.browser


def admin_login(page: Page, staff) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(staff.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("input[type=submit]").click()


def test_admin_pages_run_without_policy_violations_or_foreign_requests(page: Page, live_server):
    staff = UserFactory(is_staff=True, is_superuser=True, language="en")
    help_request = HelpRequestFactory()
    helper_profile = VerifiedHelperFactory()
    violations: list[str] = []
    foreign_requests: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def note_foreign_request(request) -> None:
        if not request.url.startswith(live_server.url):
            foreign_requests.append(request.url)

    page.on("request", note_foreign_request)

    admin_login(page, staff)
    expect(page.locator("#site-name")).to_be_visible()

    for path in [
        "/admin/",
        "/admin/requests_app/helprequest/",
        f"/admin/requests_app/helprequest/{help_request.pk}/change/",
        "/admin/matching/helperprofile/",
        f"/admin/matching/helperprofile/{helper_profile.pk}/change/",
        "/admin/geo/postcode/5000/change/",
        f"/admin/accounts/user/{staff.pk}/change/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#content")).to_be_visible()

    assert violations == []
    assert foreign_requests == []


def test_a_request_saved_through_the_admin_keeps_its_place(page: Page):
    staff = UserFactory(is_staff=True, is_superuser=True, language="en")
    help_request = HelpRequestFactory(description="Courses du samedi")
    place_before = help_request.location.coords
    admin_login(page, staff)

    page.goto(f"/admin/requests_app/helprequest/{help_request.pk}/change/")
    page.locator("#id_description").fill("Courses du samedi matin")
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist")).to_contain_text(str(help_request.pk))
    help_request.refresh_from_db()
    assert help_request.description == "Courses du samedi matin"
    assert help_request.location.coords == pytest.approx(place_before)
