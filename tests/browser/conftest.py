"""Browser tests: Playwright for Python drives Debian's Chromium against the live server.

Playwright's own browser download is not reachable from our machines, so it launches the system
Chromium (CHROMIUM_PATH, default /usr/bin/chromium; `make test` installs it). Never run
`playwright install`.

Two things about Playwright's sync API and Django:
- While Playwright runs, its event loop counts as running in the test's thread, and Django
  refuses ORM calls from "an async context". The test body is plain synchronous code, so the
  `browser` fixture allows them (DJANGO_ALLOW_ASYNC_UNSAFE) for as long as Playwright runs.
- For the same reason Playwright is started per test module and stopped at its end: a loop
  left running would break every later test that runs its own (pytest-asyncio) or touches the
  database.

`live_server` makes the tests transactional: each ends with a flush, after which tests/conftest.py
loads the places again; the `places` fixture states the dependency.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/tandem-screenshots"))


def pytest_collection_modifyitems(items):
    # Everything in this folder drives a browser: `-m "not browser"` skips it all.
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """A headless Chromium, shared by the tests of one module."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: install it or set CHROMIUM_PATH")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server, places) -> Iterator[Page]:
    """A fresh tab with no cookies, as a French-speaking Belgian's browser would open it."""
    context = browser.new_context(
        base_url=live_server.url, locale="fr-BE", viewport={"width": 1024, "height": 800}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def known_postcode(places) -> str:
    """Namur: a current Belgian postcode that sign-up accepts."""
    return "5000"
