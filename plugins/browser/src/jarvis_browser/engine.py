"""One headless Chromium per server, started on first use; each run gets its own context.

Chromium is told to resolve no host name at all (``MAP * ~NOTFOUND``): every request a page
makes is answered by :mod:`.guard` through the outbound guard, so a request that slipped past
the interception could reach nothing. WebRTC may not use UDP of its own either.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any

from .settings import BrowserSettings

ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-first-run", "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
)


class BrowserUnavailable(Exception):
    """Chromium is not installed where the settings say, or did not start."""


class Engine:
    """The Playwright driver and the Chromium process, shared by every run of one server."""

    def __init__(self, settings: BrowserSettings):
        self.settings = settings
        self._lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    async def browser(self) -> Any:
        """The running Chromium, started (again, if it died) on first use."""
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            await self._stop()
            path = self.settings.executable_path
            if not os.access(path, os.X_OK):
                raise BrowserUnavailable(f"Chromium is not installed at {path}")
            from playwright.async_api import Error, async_playwright

            try:
                self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=path, headless=True,
                    args=[*ARGS, f"--js-flags=--max-old-space-size={self.settings.memory_mb}"])
            except Error as err:
                await self._stop()
                raise BrowserUnavailable(f"Chromium did not start: {err.message}") from None
            return self._browser

    def open_contexts(self) -> int:
        """How many runs' contexts are open now (none while Chromium is not running)."""
        return len(self._browser.contexts) if self._browser is not None else 0

    async def close(self) -> None:
        """Stop Chromium and the driver (at shutdown)."""
        async with self._lock:
            await self._stop()

    async def _stop(self) -> None:
        browser, self._browser = self._browser, None
        driver, self._playwright = self._playwright, None
        if browser is not None:
            with contextlib.suppress(Exception):  # already gone
                await browser.close()
        if driver is not None:
            await driver.stop()
