"""GuardedHttp: the one HTTP client plugins get as ``ctx.http``."""

from __future__ import annotations

import asyncio
import codecs
import json as jsonlib
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from .connector import make_aiohttp_session
from .netguard import (
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    OutboundTimeout,
    OutboundTooLarge,
    reject_bad_characters,
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Credentials meant for one origin must not follow a redirect to another.
_ORIGIN_BOUND_HEADERS = ("Authorization", "Proxy-Authorization", "Cookie")
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A finished response: status, final URL, headers and the (possibly capped) body."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes
    truncated: bool = False
    redirects: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True for 2xx statuses."""
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (e.g. ``text/html``)."""
        return self._content_type_header().get_content_type()

    def text(self, errors: str = "replace") -> str:
        """The body decoded with the declared charset (UTF-8 when none or unknown)."""
        charset = self._content_type_header().get_content_charset() or "utf-8"
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = "utf-8"
        return self.body.decode(charset, errors=errors)

    def json(self) -> Any:
        """The body parsed as JSON."""
        return jsonlib.loads(self.text(errors="strict"))

    def _content_type_header(self) -> Message:
        message = Message()
        message["content-type"] = self.headers.get("Content-Type", "application/octet-stream")
        return message


class GuardedHttp:
    """Outbound HTTP for plugins: SSRF rules at connect time, redirect, size and time caps.

    Production builds it from settings, which can express ``allowed_private_hosts`` but never
    ``allow_loopback_for_tests``: only test code passes that, to reach its loopback fakes.
    Each ``session()`` and ``fetch()`` uses a fresh session, so cookies never leak between
    users or runs.
    """

    def __init__(
        self,
        *,
        allowed_private_hosts: Iterable[str] = (),
        allow_loopback_for_tests: Iterable[str] = (),
        max_redirects: int = 5,
        max_bytes: int = 5_000_000,
        timeout: float = 20.0,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.policy = OutboundPolicy(allowed_private_hosts, allow_loopback_for_tests)
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._resolver = resolver

    def check_url(self, url: str | URL) -> URL:
        """Raise OutboundRefused unless ``url`` passes the static checks."""
        return self.policy.check_url(url)

    @asynccontextmanager
    async def session(self, **session_kwargs: Any) -> AsyncIterator[aiohttp.ClientSession]:
        """An aiohttp ClientSession guarded on every connection and redirect hop."""
        session_kwargs.setdefault("timeout", self.timeout)
        session = make_aiohttp_session(self.policy, resolver=self._resolver, **session_kwargs)
        try:
            yield session
        finally:
            await session.close()

    async def fetch(
        self,
        url: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        data: bytes | str | Mapping[str, str] | None = None,
        max_bytes: int | None = None,
        *,
        truncate: bool = True,
    ) -> FetchResult:
        """Fetch ``url``, following up to ``max_redirects`` checked redirects.

        A body past ``max_bytes`` is cut (``truncated=True``), or refused with
        OutboundTooLarge when ``truncate`` is False. The whole exchange, redirects and body
        included, must finish within the client's ``timeout`` seconds.
        """
        limit = self.max_bytes if max_bytes is None else max_bytes
        seconds = self.timeout
        target = self.policy.check_url(url)
        try:
            async with asyncio.timeout(seconds), self.session(timeout=seconds) as session:
                return await self._follow(
                    session,
                    target,
                    method.upper(),
                    CIMultiDict(headers or {}),
                    data,
                    limit,
                    truncate,
                )
        except TimeoutError:
            raise OutboundTimeout(f"{target.host} took longer than {seconds:g} s") from None
        except aiohttp.ClientError as exc:
            raise OutboundError(f"could not fetch {target.human_repr()}: {exc}") from exc

    async def _follow(
        self,
        session: aiohttp.ClientSession,
        target: URL,
        method: str,
        headers: CIMultiDict[str],
        data: bytes | str | Mapping[str, str] | None,
        limit: int,
        truncate: bool,
    ) -> FetchResult:
        history: list[str] = []
        while True:
            async with session.request(
                method, target, headers=headers, data=data, allow_redirects=False
            ) as response:
                location = response.headers.get("Location")
                if response.status not in _REDIRECTS or location is None:
                    body, cut = await read_capped(response, limit, truncate=truncate)
                    return FetchResult(
                        status=response.status,
                        url=str(response.url),
                        headers=CIMultiDictProxy(CIMultiDict(response.headers)),
                        body=body,
                        truncated=cut,
                        redirects=tuple(history),
                    )
                status = response.status
            if len(history) >= self.max_redirects:
                raise OutboundRefused(f"more than {self.max_redirects} redirects")
            history.append(str(target))
            following = self.policy.check_url(_join(target, location))
            if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
                method, data = "GET", None
                headers.popall("Content-Type", None)
            if following.origin() != target.origin():
                for name in _ORIGIN_BOUND_HEADERS:
                    headers.popall(name, None)
            target = following


async def read_capped(
    response: aiohttp.ClientResponse, limit: int, *, truncate: bool = True
) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes of ``response``; return the body and whether it was cut."""
    declared = response.content_length
    if not truncate and declared is not None and declared > limit:
        raise OutboundTooLarge(f"the response is {declared} bytes, over the {limit} byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        room = limit - size
        if len(chunk) > room:
            if not truncate:
                raise OutboundTooLarge(f"the response is over the {limit} byte limit")
            chunks.append(chunk[:room])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def _join(base: URL, location: str) -> URL:
    # Check the raw header first: yarl would quietly repair some of what we refuse.
    reject_bad_characters(location)
    try:
        return base.join(URL(location))
    except ValueError as exc:
        raise OutboundRefused(f"malformed redirect location {location!r}: {exc}") from None
