"""Browser tests: Debian's Chromium driven by Playwright, one browser and one server per module.
(Playwright's synchronous API runs an event loop of its own in the test thread while it is
open; one per module, closed when the module ends, leaves the asyncio tests after it their own
loops.) Every page the tests open fails the test on a script error, on a request
refused by the Content-Security-Policy, and on any request to another origin."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JARVIS_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# the walkthrough's pictures go to the docs only when asked, so a test run leaves the tree as it was
DOC_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where the walkthrough saves its pictures: ``docs/screenshots`` with
    ``JARVIS_UPDATE_SCREENSHOTS=1``, a temporary folder otherwise."""
    if os.environ.get("JARVIS_UPDATE_SCREENSHOTS") == "1":
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOC_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    # the pages answer in well under a second; a busy machine (or PostgreSQL beside a browser)
    # is slower, and a page that never shows the text still fails
    expect.set_options(timeout=15_000)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did wrong: script errors, CSP violations, requests off the server."""

    def __init__(self, page, origin: str):
        self.origin = origin
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", self._console)
        page.on("request", lambda req: self.requests.append(req.url))

    def _console(self, msg) -> None:
        # an API refusal (401 before login, a 4xx the page explains) is logged by the browser
        # as "Failed to load resource"; the pages show those in words, the tests check that
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {msg.text}")

    def outside(self) -> list[str]:
        allowed = (self.origin + "/", self.origin.replace("http", "ws", 1) + "/", "data:", "blob:")
        return [u for u in self.requests if not u.startswith(allowed)]


@pytest.fixture
def open_page(browser):
    """``page, watch = open_page(server, mobile=False)``: a fresh browser context (own cookies)."""
    contexts = []

    def make(server, *, mobile: bool = False, downloads: bool = True):
        options = {"accept_downloads": downloads}
        if mobile:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 860})
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        return page, PageWatch(page, server.url)

    yield make
    for context in contexts:
        context.close()
