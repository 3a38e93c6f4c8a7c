"""One run's browser: its own Chromium context (cookies, storage, pages), its limits, and the
sites its main frames were allowed to show. Made on the run's first browser call, closed when
the run ends (``ctx.at_run_end``) or its time is up."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from jarvis import ToolContext
from yarl import URL

from .engine import Engine
from .guard import MAX_HOPS, Forwarder
from .settings import BrowserSettings

STATE_KEY = "browser"
VIEWPORT = {"width": 1280, "height": 800}


class BrowserError(Exception):
    """What the model is told when the browser cannot do what it asked."""


class BrowserRun:
    def __init__(self, settings: BrowserSettings, ctx: ToolContext):
        self.settings = settings
        self.ctx = ctx  # the context of the call now running: its authorizer names the tool
        self.context: Any = None
        self.pages: list[Any] = []
        self.page: Any = None  # the page the tools act on
        self.opened = 0
        self.approved: set[str] = set()  # hosts the main frame may show
        self.closed = False
        self._stack = contextlib.AsyncExitStack()
        self._expiry: asyncio.TimerHandle | None = None
        self._closing: asyncio.Task[None] | None = None
        self.forwarder: Forwarder | None = None
        self.deadline = 0.0
        self.busy = 0  # tool calls using the browser now

    @classmethod
    async def of(cls, ctx: ToolContext, engine: Engine, settings: BrowserSettings) -> BrowserRun:
        """The run's browser, made on first use."""
        found = ctx.state.get(STATE_KEY)
        if isinstance(found, cls):
            if found.closed:
                raise BrowserError("this run's browser time is used up "
                                   f"({settings.run_seconds:g} s)")
            return found
        run = cls(settings, ctx)
        ctx.state[STATE_KEY] = run
        ctx.at_run_end(run.close)
        await run._start(engine)
        return run

    async def _start(self, engine: Engine) -> None:
        browser = await engine.browser()
        http = await self._stack.enter_async_context(self.ctx.http.session(
            cookie_jar=aiohttp.DummyCookieJar(), timeout=self.settings.action_timeout))
        self.forwarder = Forwarder(http, self._navigation, self.settings.max_bytes,
                                   self.settings.max_run_bytes, self.settings.action_timeout)
        self.context = await browser.new_context(
            service_workers="block", accept_downloads=False, viewport=VIEWPORT)
        self._stack.push_async_callback(self.context.close)
        self.context.set_default_timeout(self.settings.action_timeout * 1000)
        await self.context.route("**/*", self.forwarder.route)
        await self.context.route_web_socket("**/*", self.forwarder.socket)
        self.context.on("page", self._on_page)
        loop = asyncio.get_running_loop()
        self.deadline = loop.time() + self.settings.run_seconds
        self._expiry = loop.call_later(self.settings.run_seconds, self._expire)

    def remaining(self) -> float:
        left = self.deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise BrowserError(
                f"this run's browser time is used up ({self.settings.run_seconds:g} s)")
        return min(left, self.settings.action_timeout)

    def remaining_ms(self) -> float:
        """:meth:`remaining` for Playwright, in milliseconds and never 0 (which to Playwright
        means no limit at all)."""
        return max(1.0, self.remaining() * 1000)

    async def new_page(self) -> Any:
        if self.opened >= self.settings.max_pages:
            raise BrowserError(f"this run has opened {self.opened} pages, the most it may")
        async with asyncio.timeout(self.remaining()):
            return await self.context.new_page()  # _on_page counts it and makes it current

    def _on_page(self, page: Any) -> None:
        self.opened += 1
        if self.opened > self.settings.max_pages:  # a pop-up past the limit
            asyncio.ensure_future(page.close())
            return
        self.pages.append(page)
        self.page = page
        page.on("close", self._on_close)

    def _on_close(self, page: Any) -> None:
        if page in self.pages:
            self.pages.remove(page)
        if self.page is page:
            self.page = self.pages[-1] if self.pages else None

    def current(self) -> Any:
        if self.page is None:
            raise BrowserError("no page is open: open one with browser_open first")
        return self.page

    async def goto(self, page: Any, url: str) -> Any:
        """Open ``url`` in ``page``, following its redirects as navigations of their own (each
        checked as a link is); the last response, or None."""
        from playwright.async_api import Error as PlaywrightError

        assert self.forwarder is not None, "the browser run has started"
        redirects = self.forwarder.redirects
        for _hop in range(MAX_HOPS + 1):
            redirects.pop(page, None)
            try:
                response = await page.goto(url, wait_until="load",
                                           timeout=self.remaining_ms())
            except PlaywrightError:
                if page not in redirects:
                    raise
                response = None
            if page not in redirects:
                return response
            url = redirects.pop(page)
        raise BrowserError(f"{url} redirects more than {MAX_HOPS} times")

    async def settle(self, page: Any) -> None:
        """After an action: follow a redirect its navigation met, wait for the page to load."""
        from playwright.async_api import Error as PlaywrightError

        assert self.forwarder is not None, "the browser run has started"
        if page in self.forwarder.redirects:
            await self.goto(page, self.forwarder.redirects.pop(page))
            return
        with contextlib.suppress(PlaywrightError):  # a page still loading is read as it is
            await page.wait_for_load_state("load", timeout=self.remaining_ms())

    def approve(self, url: str) -> None:
        self.approved.add(_host(url))

    async def _navigation(self, url: str) -> str | None:
        """Why the main frame may not go to ``url`` (a redirect, a link, a script), or None:
        a site not yet shown in this run is checked as web_fetch checks it."""
        host = _host(url)
        if host in self.approved:
            return None
        decision = await self.ctx.authorize("web.url", url)
        if not decision.allowed:
            return f"not allowed: {decision.reason or 'refused'}"
        self.approved.add(host)
        return None

    @contextlib.asynccontextmanager
    async def in_use(self, ctx: ToolContext) -> AsyncIterator[BrowserRun]:
        """One tool call's use of the browser: a browser whose time ran out meanwhile is
        closed when the call is over (Playwright waits for ever on a context closed under it)."""
        self.ctx = ctx
        self.busy += 1
        try:
            yield self
        finally:
            self.busy -= 1
            if not self.busy and self.deadline <= asyncio.get_running_loop().time():
                await self.close()

    def _expire(self) -> None:
        if not self.busy:
            self._closing = asyncio.ensure_future(self.close())

    async def close(self) -> None:
        """Close the context and everything in it (idempotent)."""
        if self.closed:
            return
        self.closed = True
        if self._expiry is not None:
            self._expiry.cancel()
        self.pages, self.page = [], None
        await self._stack.aclose()


def _host(url: str) -> str:
    return (URL(url).host or "").rstrip(".").lower()
