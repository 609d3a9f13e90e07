"""Maps in a real browser (issue 7, scope 5): with a tile server configured, the page gets a
Leaflet map on its tiles; with that server unreachable, the page stays whole (the text and the
server-drawn SVG map), runs without a script error and stays accessible.

No test contacts a real tile server: one points MAP_TILE_URL at a closed port of this machine,
the other lets Playwright answer the tile requests with a small PNG.
"""

import base64
import math
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import AXE_SCRIPT, blocking_violations, sign_in_as
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import VerifiedHelperFactory
from tests.messaging.servers import free_port
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.browser

# A 1×1 grey PNG: what the fake tile server answers for every tile.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4DwABAQEAWdoXQwAAAABJRU5ErkJggg=="
)
FAKE_TILES = "https://tiles.example.test/{z}/{x}/{y}.png"
TILE_PATH = re.compile(r"/(\d+)/(\d+)/(\d+)\.png$")


@pytest.fixture
def helper_with_requests(places):
    """A verified helper in Namur with three requests near them."""
    helper = VerifiedHelperFactory(user__language="en").user
    requests = [
        HelpRequestFactory(location=point_at(NAMUR, km=km, bearing=bearing))
        for km, bearing in [(0.5, 10), (1.5, 120), (3.0, 250)]
    ]
    return helper, requests


def check_axe(page: Page) -> list[str]:
    """axe-core's blocking violations, injected through the DevTools protocol so that the page's
    own Content-Security-Policy stays on (a <script> tag would be refused)."""
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    return blocking_violations(page)


def tile_of(point, zoom: int) -> tuple[int, int]:
    """The slippy-map tile (x, y) holding a WGS 84 point at `zoom`."""
    latitude = math.radians(point.y)
    scale = 2**zoom
    x = int((point.x + 180.0) / 360.0 * scale)
    y = int((1.0 - math.asinh(math.tan(latitude)) / math.pi) / 2.0 * scale)
    return x, y


def test_an_unreachable_tile_server_leaves_the_page_whole(
    page: Page, live_server, settings, helper_with_requests, screenshot_dir
):
    settings.MAP_TILE_URL = f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    helper, requests = helper_with_requests
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in_as(page, helper, base_url=live_server.url)

    page.goto("/helper/?lang=en")

    # Leaflet loaded and tried the tiles...
    assert page.evaluate("typeof window.L") == "object"
    # ...and, every tile having failed, removed its map: the SVG and the list remain.
    expect(page.locator(".map-tiles")).to_have_count(0)
    expect(page.get_by_role("img", name="Map of the requests near you")).to_be_visible()
    expect(page.locator(".nearby-list > li")).to_have_count(len(requests))
    expect(page.get_by_role("button", name="I can help")).to_have_count(len(requests))
    assert script_errors == []
    assert check_axe(page) == []
    page.screenshot(path=str(screenshot_dir / "map-helper-no-tiles.png"), full_page=True)


def test_tiles_of_the_configured_server_show_the_requests_where_they_are(
    page: Page, live_server, settings, helper_with_requests, screenshot_dir
):
    settings.MAP_TILE_URL = FAKE_TILES
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    helper, requests = helper_with_requests
    asked: list[tuple[int, int, int]] = []

    def serve_tile(route):
        zoom, x, y = (int(part) for part in TILE_PATH.search(route.request.url).groups())
        asked.append((zoom, x, y))
        route.fulfill(status=200, content_type="image/png", body=TILE_PNG)

    page.route("https://tiles.example.test/**", serve_tile)
    policy_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            policy_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in_as(page, helper, base_url=live_server.url)

    page.goto("/helper/?lang=en")

    tiled = page.locator(".map-tiles")
    expect(tiled).to_be_visible()
    expect(tiled).not_to_have_class(re.compile("map-tiles--waiting"))
    expect(page.locator(".map-pin--request")).to_have_count(len(requests))
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Test tiles")
    # The map was fitted around the requests: the tiles asked for at the zoom shown hold their
    # (approximate) places, so the projection was turned back into degrees correctly.
    zoom = max(zoom for zoom, _, _ in asked)
    shown = {(x, y) for z, x, y in asked if z == zoom}
    for help_request in requests:
        assert tile_of(help_request.approximate_location, zoom) in shown
    # The tile server's origin is allowed for images, and for nothing else.
    assert policy_violations == []
    assert check_axe(page) == []
    page.screenshot(path=str(screenshot_dir / "map-helper-tiles.png"), full_page=True)
