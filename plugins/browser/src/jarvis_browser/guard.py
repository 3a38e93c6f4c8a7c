"""Every request a page makes, answered through the outbound guard (``ctx.http``).

Chromium itself connects to nothing: each request (navigation, redirect hop, subresource,
beacon, pop-up) is intercepted, made by the guarded client, which resolves the name and
checks the very address it connects to (so a second DNS answer cannot differ), and handed back
to the page; what the guard refuses is aborted. WebSockets are closed at once.

Chromium does not hand the hop after an answered redirect back to the interception, so no
redirect reaches it: a subresource's hops are followed here (each one guarded), a main frame's
next address is kept for the tool to open as a navigation of its own (checked again), and a
frame's is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from jarvis import OutboundError, OutboundRefused, read_capped
from yarl import URL

# Hop-by-hop and encoding headers: the guarded client sets its own and decodes the body.
_DROP_REQUEST = frozenset({"host", "connection", "content-length", "accept-encoding", "cookie2",
                           "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
_DROP_RESPONSE = frozenset({"content-encoding", "content-length", "transfer-encoding",
                            "connection", "keep-alive"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_HOPS = 5

Navigate = Callable[[str], Awaitable[str | None]]  # a main-frame URL -> why refused, or None


@dataclass(slots=True)
class Refusal:
    url: str
    reason: str


@dataclass  # no slots: Playwright marks the handlers it wraps
class Forwarder:
    """The route handlers of one run's browser context."""

    http: aiohttp.ClientSession  # from ctx.http.session(): guarded on every connection
    navigate: Navigate
    max_bytes: int
    max_run_bytes: int
    timeout: float
    used_bytes: int = 0
    refused: list[Refusal] = field(default_factory=list)
    redirects: dict[Any, str] = field(default_factory=dict)  # page -> its main frame's next URL

    async def route(self, route: Any) -> None:
        """Answer one request of a page, or abort it."""
        request = route.request
        url = request.url
        reason = await self._why_not(request, url)
        if reason is None:
            try:
                answer = await self._answer(request, url)
            except (OutboundError, aiohttp.ClientError, OSError, TimeoutError, ValueError) as err:
                reason = _reason(err)
            else:
                if isinstance(answer, str):  # a main frame's redirect: the tool follows it
                    self.redirects[request.frame.page] = answer
                    await route.abort("aborted")
                    return
                await route.fulfill(**answer)
                return
        self.refused.append(Refusal(url, reason))
        await route.abort("blockedbyclient")

    async def socket(self, ws: Any) -> None:
        """WebSockets are not offered: closed before they open."""
        self.refused.append(Refusal(ws.url, "the browser opens no WebSockets"))
        await ws.close(code=1008, reason="not allowed")

    def refused_since(self, mark: int) -> list[Refusal]:
        return self.refused[mark:]

    async def _why_not(self, request: Any, url: str) -> str | None:
        if URL(url).scheme not in ("http", "https"):
            return "only http and https are fetched"
        if self.used_bytes >= self.max_run_bytes:
            return f"this run's browser has fetched its {self.max_run_bytes} bytes"
        if _main_frame_navigation(request):
            return await self.navigate(url)
        return None

    async def _answer(self, request: Any, url: str) -> dict[str, Any] | str:
        """The response to hand the page, or a main frame's next address."""
        headers = {k: v for k, v in (await request.all_headers()).items()
                   if not k.startswith(":") and k.lower() not in _DROP_REQUEST}
        method, data = request.method, request.post_data_buffer
        for _hop in range(MAX_HOPS + 1):
            status, out, body = await self._fetch(method, url, headers, data)
            location = out.get("location")
            if status not in REDIRECTS or not location:
                return {"status": status, "headers": out, "body": body}
            following = str(URL(url).join(URL(location)))
            if _main_frame_navigation(request):
                return following
            if request.is_navigation_request():
                raise ValueError(f"a frame's redirect to {following} is not followed")
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, data = "GET", None
            if URL(following).origin() != URL(url).origin():
                headers.pop("cookie", None)  # meant for the first origin only
            url = following
        raise ValueError(f"more than {MAX_HOPS} redirects")

    async def _fetch(self, method: str, url: str, headers: dict[str, str],
                     data: bytes | None) -> tuple[int, dict[str, str], bytes]:
        async with asyncio.timeout(self.timeout), self.http.request(
            method, url, headers=headers, data=data, allow_redirects=False,
        ) as resp:
            room = min(self.max_bytes, self.max_run_bytes - self.used_bytes)
            body, _cut = await read_capped(resp, max(room, 0))
            self.used_bytes += len(body)
            out: dict[str, str] = {}
            for name, value in resp.headers.items():
                key = name.lower()
                if key in _DROP_RESPONSE:
                    continue
                out[key] = f"{out[key]}\n{value}" if key in out else value
            return resp.status, out, body


def _main_frame_navigation(request: Any) -> bool:
    try:
        return bool(request.is_navigation_request() and request.frame.parent_frame is None)
    except Exception:  # a service worker's request has no frame (and workers are blocked)
        return False


def _reason(err: BaseException) -> str:
    if isinstance(err, TimeoutError):
        return "no answer in time"
    found: BaseException | None = err
    while found is not None:  # the guard's refusal, however deep aiohttp wrapped it
        if isinstance(found, OutboundRefused):
            return str(found)
        found = found.__cause__ or found.__context__
    return str(err) or type(err).__name__
