"""The installable app in a real Chromium: the service worker registers and controls the site,
the manifest is read, pages fall back to the offline page when the network is down, and the
worker's cache holds static files and the offline page only — never a page with someone's data.
Then Web Push: the inbox page subscribes this browser with the server's VAPID key.
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from notifications.models import PushSubscription
from notifications.push_messages import vapid_public_key
from tests.browser.test_person_homes import sign_in

pytestmark = pytest.mark.browser


def test_the_service_worker_registers_serves_the_offline_page_and_caches_no_page(
    page, live_server, personas
):
    sign_in(page, personas.requester, live_server.url)
    page.goto("/?lang=en")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/"
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["name"] == "Tandem" and manifest["display"] == "standalone"

    page.reload()  # now controlled by the worker
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    page.context.set_offline(True)
    page.goto("/requests/new/?lang=en")
    # Cached once without cookies (so in the default language), it says it in all four.
    expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion")
    expect(page.locator('section[lang="en"] h2')).to_have_text("No connection")
    expect(page.locator('section[lang="nl"] h2')).to_have_text("Geen verbinding")
    page.context.set_offline(False)

    cached = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )
    assert "/offline/" in cached
    assert all(path == "/offline/" or path.startswith("/static/") for path in cached), cached
    assert not any("Anne Lambert" in text for text in cached)


@pytest.fixture
def push_on(settings):
    out = io.StringIO()
    call_command("vapid_keys", stdout=out)
    settings.VAPID_PRIVATE_KEY = out.getvalue().splitlines()[0].split("=", 1)[1]
    return settings


def test_the_inbox_page_subscribes_this_browser_to_web_push(page, live_server, personas, push_on):
    page.context.grant_permissions(["notifications"])
    sign_in(page, personas.requester, live_server.url)
    page.goto("/notifications/?lang=en")
    page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    expect(page.get_by_role("heading", name="Notifications on this device")).to_be_visible()

    page.get_by_role("button", name="Turn on notifications on this device").click()

    state = page.locator("#push-state")
    expect(state).not_to_have_text("", timeout=15_000)
    text = state.inner_text()
    if text != "Notifications are on for this device.":
        # Headless Chromium has no push service to register with: PushManager.subscribe
        # rejects ("AbortError: Registration failed - permission denied", measured with
        # Chromium 1xx old and new headless, the notification permission granted). The page
        # must then say so and store nothing; the path after the browser (API, job, VAPID,
        # encryption, 404/410) is tested in tests/notifications/test_push.py against a
        # loopback push service.
        assert text == "This did not work. Please try again later."
        assert not PushSubscription.objects.exists()
        error = page.evaluate(
            """key => navigator.serviceWorker.ready.then(r => r.pushManager.subscribe({
                userVisibleOnly: true,
                applicationServerKey: Uint8Array.from(
                    atob(key.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0))
            })).then(() => 'subscribed', e => e.name + ': ' + e.message)""",
            vapid_public_key(),
        )
        pytest.xfail(f"this Chromium cannot subscribe to a push service: {error}")
    subscription = PushSubscription.objects.get(user=personas.requester)
    assert subscription.endpoint.startswith("https://")
    expect(page.get_by_role("button", name="Turn off notifications on this device")).to_be_visible()
