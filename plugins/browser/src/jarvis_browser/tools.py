"""The browser tools (group ``browser``): open, read and screenshot a page; click, fill,
select and press on it.

Opening a page is checked as ``web_fetch`` is (``web.url``: Tier 1 and trusted sites at once,
others ask). Acting on a page is checked by ``browser.action`` against the page's current
address when the action is about to happen: trusted sites at once, others ask every time, and
a headless run needs its agent granted the tool or ``browser``. The tools are not
``side_effect`` tools: that policy is their gate, and a trusted site needs no second one.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Sequence
from typing import Any, ClassVar

from jarvis import PolicyRequest, Tool, ToolContext, ToolResult
from pydantic import BaseModel, Field

from .engine import BrowserUnavailable, Engine
from .read import render, snapshot
from .session import BrowserError, BrowserRun
from .settings import BrowserSettings

SELECTOR = Field(min_length=1, max_length=500,
                 description="Which element: a selector from the page's list of controls "
                             "(#id, input[name=\"q\"], button:has-text(\"Send\"))")


class OpenInput(BaseModel):
    url: str = Field(min_length=1, max_length=2048,
                     description="The page's full address, starting with http:// or https://")
    new_tab: bool = Field(False, description="Open it in a new tab instead of the current one")


class NoInput(BaseModel):
    pass


class ActionInput(BaseModel):
    """What one action does, in words for the confirmation, and doing it on a page."""

    def action(self) -> str:
        raise NotImplementedError

    async def perform(self, page: Any) -> None:
        raise NotImplementedError


class ClickInput(ActionInput):
    selector: str = SELECTOR

    def action(self) -> str:
        return f"click {self.selector}"

    async def perform(self, page: Any) -> None:
        await page.click(self.selector)


class FillInput(ActionInput):
    selector: str = SELECTOR
    value: str = Field(max_length=10_000, description="The text to type into the field")

    def action(self) -> str:
        shown = self.value if len(self.value) <= 200 else self.value[:200] + "..."
        return f"fill {self.selector} with {shown!r}"

    async def perform(self, page: Any) -> None:
        await page.fill(self.selector, self.value)


class SelectInput(ActionInput):
    selector: str = SELECTOR
    value: str = Field(max_length=500, description="The option to choose (its value or label)")

    def action(self) -> str:
        return f"choose {self.value!r} in {self.selector}"

    async def perform(self, page: Any) -> None:
        await page.select_option(self.selector, self.value)


class PressInput(ActionInput):
    key: str = Field(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9+]+$",
                     description="A key such as Enter, Tab, ArrowDown or Control+A")
    selector: str | None = Field(None, max_length=500,
                                 description="The element to press it in (default: the page)")

    def action(self) -> str:
        return f"press {self.key}" + (f" in {self.selector}" if self.selector else "")

    async def perform(self, page: Any) -> None:
        if self.selector:
            await page.press(self.selector, self.key)
        else:
            await page.keyboard.press(self.key)


class BrowserTool(Tool):
    """What every browser tool shares: the run's browser, its limits, failures in words."""

    group = "browser"
    reads_untrusted = True  # every answer carries what the page says
    Input: ClassVar[type[BaseModel]] = NoInput

    def __init__(self, engine: Engine, settings: BrowserSettings):
        self.engine = engine
        self.settings = settings

    async def run(self, args: Any, ctx: ToolContext) -> ToolResult:
        from playwright.async_api import Error as PlaywrightError  # the first step imports it

        try:
            found = await BrowserRun.of(ctx, self.engine, self.settings)
            async with found.in_use(ctx) as browser:
                browser.remaining()  # fails once the run's browser time is used up
                mark = len(browser.forwarder.refused) if browser.forwarder else 0
                # each browser step has its own time limit (the settings' action_timeout); a
                # confirmation the user takes their time over is not one of them
                return await self.use(args, browser, ctx, mark)
        except (BrowserError, BrowserUnavailable) as err:
            return ToolResult.failure(str(err))
        except TimeoutError:
            return ToolResult.failure(f"the page did not answer within "
                                      f"{self.settings.action_timeout:g} s")
        except PlaywrightError as err:
            return ToolResult.failure(_first_line(err.message))

    async def use(self, args: Any, browser: BrowserRun, ctx: ToolContext,
                  mark: int) -> ToolResult:
        raise NotImplementedError

    async def page_text(self, browser: BrowserRun, mark: int, notes: Sequence[str] = ()) -> str:
        page = browser.current()
        async with asyncio.timeout(self.settings.action_timeout):
            found = await snapshot(page)
        notes = [*notes, *_refusals(browser, mark)]
        return render(page.url, found, self.settings.max_chars, notes)


class BrowserOpen(BrowserTool):
    name = "browser_open"
    description = ("Open a web page in a headless browser (scripts run) and return its visible "
                   "text and its controls. Pages outside the web whitelist need the user's "
                   "approval.")
    Input = OpenInput

    def policy_requests(self, args: OpenInput) -> list[PolicyRequest]:
        return [PolicyRequest("web.url", args.url)]

    def describe(self, args: OpenInput) -> str:
        return f"open {args.url} in the browser"

    async def use(self, args: OpenInput, browser: BrowserRun, ctx: ToolContext,
                  mark: int) -> ToolResult:
        page = browser.page
        if page is None or args.new_tab:
            page = await browser.new_page()
        browser.approve(args.url)  # the policies allowed it before the call ran
        try:
            response = await browser.goto(page, args.url)
        except Exception as err:
            refused = _refusals(browser, mark)
            if refused:
                return ToolResult.failure(f"could not open {args.url}: {refused[0]}")
            raise err
        notes = []
        if response is not None and response.status >= 400:
            notes.append(f"the page answered with HTTP status {response.status}")
        return ToolResult(content=await self.page_text(browser, mark, notes),
                          summary=f"opened {page.url}")


class BrowserRead(BrowserTool):
    name = "browser_read"
    description = "The visible text and controls of the page open in the browser now."

    async def use(self, args: NoInput, browser: BrowserRun, ctx: ToolContext,
                  mark: int) -> ToolResult:
        return ToolResult(content=await self.page_text(browser, mark),
                          summary=f"read {browser.current().url}")


class BrowserScreenshot(BrowserTool):
    name = "browser_screenshot"
    description = ("Take a screenshot of the page open in the browser; the user sees it in the "
                   "chat.")

    async def use(self, args: NoInput, browser: BrowserRun, ctx: ToolContext,
                  mark: int) -> ToolResult:
        page = browser.current()
        png = await page.screenshot(type="png", timeout=browser.remaining_ms())
        image = {"media_type": "image/png", "data": base64.b64encode(png).decode("ascii")}
        return ToolResult(content=f"A screenshot of {page.url} was shown to the user.",
                          images=[image], summary=f"screenshot of {page.url}")


class BrowserAction(BrowserTool):
    """An action on the current page (its Input says which), checked by ``browser.action``
    just before it happens."""

    async def use(self, args: ActionInput, browser: BrowserRun, ctx: ToolContext,
                  mark: int) -> ToolResult:
        page = browser.current()
        what = args.action()
        decision = await ctx.authorize("browser.action", page.url, action=what)
        if not decision.allowed:
            return ToolResult.failure(f"refused: {decision.reason or 'not allowed'}")
        await args.perform(page)
        await browser.settle(browser.current())
        return ToolResult(content=await self.page_text(browser, mark),
                          summary=f"{what} on {page.url}")


def _action(name: str, description: str, given: type[BaseModel]) -> type[BrowserAction]:
    return type(name.title().replace("_", ""), (BrowserAction,),
                {"name": name, "description": description, "Input": given})


# the actions on a page: each a BrowserAction with its own input
ACTIONS = tuple(_action(*row) for row in (
    ("browser_click", "Click an element of the page open in the browser; returns the page "
                      "after it.", ClickInput),
    ("browser_fill", "Type text into a field of the page open in the browser.", FillInput),
    ("browser_select", "Choose an option of a drop-down list of the page open in the browser.",
     SelectInput),
    ("browser_press", "Press a key (Enter, Tab, ...) on the page open in the browser.",
     PressInput),
))


TOOLS: tuple[type[BrowserTool], ...] = (BrowserOpen, BrowserRead, BrowserScreenshot, *ACTIONS)


def _refusals(browser: BrowserRun, mark: int) -> list[str]:
    found = browser.forwarder.refused_since(mark) if browser.forwarder else []
    shown = [f"{r.url} was blocked ({r.reason})" for r in found[:10]]
    if len(found) > 10:
        shown.append(f"{len(found) - 10} more requests were blocked")
    return shown


def _first_line(message: str) -> str:
    return (message or "the browser failed").strip().splitlines()[0][:300]
