"""The ``web_fetch`` tool: a page through the guarded client, as readable text."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
from jarvis import (
    OutboundError,
    PolicyRequest,
    Tool,
    ToolContext,
    ToolResult,
    read_capped,
)
from pydantic import BaseModel, Field
from yarl import URL

from .domains import DomainError, host_of
from .extract import HTML_TYPES, TEXT_TYPES, readable, render
from .settings import WebSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
HEADERS = {
    "User-Agent": "Jarvis-web_fetch/0.1 (self-hosted assistant)",
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
}


class FetchInput(BaseModel):
    url: str = Field(min_length=1, max_length=2048,
                     description="The page's full address, starting with http:// or https://")
    max_chars: int | None = Field(None, ge=500, le=200_000,
                                  description="At most this many characters of text (optional)")


@dataclass(slots=True)
class Fetched:
    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    truncated: bool


class Refused(Exception):
    """A redirect led somewhere the policies did not allow."""


class WebFetch(Tool):
    name = "web_fetch"
    group = "web"
    description = (
        "Fetch a web page and return its readable text: title, main text and links. Pages "
        "outside the web whitelist need the user's approval."
    )
    Input = FetchInput
    reads_untrusted = True
    settings: WebSettings

    def policy_requests(self, args: FetchInput) -> list[PolicyRequest]:
        return [PolicyRequest("web.url", args.url)]

    def describe(self, args: FetchInput) -> str:
        return f"fetch {args.url}"

    async def run(self, args: FetchInput, ctx: ToolContext) -> ToolResult:
        try:
            got = await self._get(args.url, ctx)
        except (DomainError, Refused) as err:
            return ToolResult.failure(str(err))
        except TimeoutError:
            return ToolResult.failure(
                f"{args.url} did not answer within {self.settings.timeout:g} s")
        except (OutboundError, aiohttp.ClientError, ValueError) as err:
            return ToolResult.failure(f"could not fetch {args.url}: {err}")
        if not 200 <= got.status < 300:
            return ToolResult.failure(f"{got.url} answered with HTTP status {got.status}")
        kind = _kind(got)
        if kind is None:
            return ToolResult.failure(f"{got.url} is {got.content_type}, not a page of text")
        body: bytes | str = got.body
        if got.charset or kind != "text/html":
            body = got.body.decode(_codec(got.charset), errors="replace")
        visible_only = ctx.context.runtime_settings("security").sanitize_enhanced
        page = await asyncio.to_thread(readable, body, kind, got.url, visible_only)
        limit = args.max_chars or self.settings.max_chars
        return ToolResult(
            content=render(page, got.url, limit, got.truncated),
            summary=f"read {got.url}" + (f" ({page.title})" if page.title else ""),
        )

    async def _get(self, url: str, ctx: ToolContext) -> Fetched:
        """GET ``url``; each redirect is checked by the policies before it is followed."""
        approved = {host_of(url)}
        target = URL(url)
        async with ctx.http.session(headers=HEADERS) as session:
            for _hop in range(self.settings.max_redirects + 1):
                # the time cap is per request: a redirect may wait for the user's answer
                async with asyncio.timeout(self.settings.timeout), session.get(
                    target, allow_redirects=False
                ) as resp:
                    location = resp.headers.get("Location")
                    if resp.status not in REDIRECTS or not location:
                        body, cut = await read_capped(resp, self.settings.max_bytes)
                        return Fetched(str(resp.url), resp.status, resp.content_type,
                                       resp.charset, body, cut)
                following = target.join(URL(location))
                host = host_of(str(following))
                if host not in approved:
                    decision = await ctx.authorize("web.url", str(following))
                    if not decision.allowed:
                        raise Refused(f"{target} redirects to {following}, which is not allowed: "
                                      f"{decision.reason or 'refused'}")
                    approved.add(host)
                target = following
        raise Refused(f"{url} redirects more than {self.settings.max_redirects} times")


def _kind(got: Fetched) -> str | None:
    """How to read the body: text/html, a plain text type, or None (not text)."""
    if got.content_type in HTML_TYPES:
        return "text/html"
    if got.content_type.startswith("text/") or got.content_type in TEXT_TYPES:
        return got.content_type
    if got.content_type == "application/octet-stream" and got.body.lstrip()[:1] == b"<":
        return "text/html"  # no type declared: a page that starts with markup is read as one
    return None


def _codec(charset: str | None) -> str:
    import codecs

    try:
        return codecs.lookup(charset or "utf-8").name
    except LookupError:
        return "utf-8"
