"""aiohttp parts that enforce the outbound policy at connect time, on every hop."""

from __future__ import annotations

import errno
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from .addresses import parse_ip
from .netguard import DEFAULT_POLICY, OutboundPolicy, OutboundRefused

AddrInfo = tuple[Any, Any, int, str, tuple[Any, ...]]


class RefusedAddress(OSError):
    """Raised by the socket factory; an OSError so aiohttp's connection racing handles it."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EACCES, f"refused: {reason}")
        self.reason = reason


class GuardedResolver(AbstractResolver):
    """Resolves through ``inner`` (the OS resolver by default) and drops refused addresses."""

    def __init__(self, policy: OutboundPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner or ThreadedResolver()
        # Private addresses an admin allowed by host name: the socket check sees only the
        # address, so it learns here which ones were vouched for.
        self.vouched: set[tuple[str, int]] = set()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host`` and keep only the answers the policy permits."""
        answers = await self._inner.resolve(host, port, family)
        allowed: list[ResolveResult] = []
        reasons: list[str] = []
        for answer in answers:
            address, answer_port = answer["host"], answer["port"] or port
            reason = self._policy.check_target(address, answer_port, host=host)
            if reason:
                reasons.append(reason)
                continue
            if self._policy.check_target(address, answer_port) is not None:
                self.vouched.add(_key(address, answer_port))
            allowed.append(answer)
        if not allowed:
            raise OutboundRefused(reasons[0] if reasons else f"{host} has no addresses")
        return allowed

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()


def guarded_socket_factory(
    policy: OutboundPolicy, vouched: set[tuple[str, int]] | None = None
) -> Callable[[AddrInfo], socket.socket]:
    """A socket factory that checks the exact address each socket is about to connect to."""
    allowed = vouched if vouched is not None else set()

    def factory(addr_info: AddrInfo) -> socket.socket:
        family, type_, proto, _canon, sockaddr = addr_info
        address, port = str(sockaddr[0]), int(sockaddr[1])
        if _key(address, port) not in allowed:
            reason = policy.check_target(address, port)
            if reason:
                raise RefusedAddress(reason)
        return socket.socket(family=family, type=type_, proto=proto)

    return factory


def guarded_connector(
    policy: OutboundPolicy = DEFAULT_POLICY,
    *,
    resolver: AbstractResolver | None = None,
    **connector_kwargs: Any,
) -> aiohttp.TCPConnector:
    """A TCPConnector that resolves through the guard and checks every socket it opens."""
    guarded = GuardedResolver(policy, resolver)
    return aiohttp.TCPConnector(
        resolver=guarded,
        socket_factory=guarded_socket_factory(policy, guarded.vouched),
        **connector_kwargs,
    )


def url_guard_middleware(
    policy: OutboundPolicy,
) -> Callable[[aiohttp.ClientRequest, Any], Awaitable[aiohttp.ClientResponse]]:
    """A client middleware checking each request's URL, redirect hops included."""

    async def middleware(
        request: aiohttp.ClientRequest,
        handler: Callable[[aiohttp.ClientRequest], Awaitable[aiohttp.ClientResponse]],
    ) -> aiohttp.ClientResponse:
        policy.check_url(request.url)
        try:
            return await handler(request)
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, RefusedAddress):
                raise OutboundRefused(exc.os_error.reason) from exc
            raise

    return middleware


def make_aiohttp_session(
    policy: OutboundPolicy = DEFAULT_POLICY,
    *,
    resolver: AbstractResolver | None = None,
    timeout: float | aiohttp.ClientTimeout = 20.0,
    **session_kwargs: Any,
) -> aiohttp.ClientSession:
    """A ClientSession whose every connection and redirect hop passes the guard.

    Environment proxies are ignored (``trust_env=False``): a proxy would connect on our behalf
    to addresses the guard never sees.
    """
    if not isinstance(timeout, aiohttp.ClientTimeout):
        timeout = aiohttp.ClientTimeout(total=timeout)
    if session_kwargs.pop("trust_env", False):
        raise ValueError("a guarded session cannot trust environment proxies")
    # Innermost, so it sees each request exactly as it will be sent.
    middlewares = (*session_kwargs.pop("middlewares", ()), url_guard_middleware(policy))
    return aiohttp.ClientSession(
        connector=guarded_connector(policy, resolver=resolver),
        timeout=timeout,
        middlewares=middlewares,
        trust_env=False,
        **session_kwargs,
    )


def _key(address: str, port: int) -> tuple[str, int]:
    ip = parse_ip(address.split("%", 1)[0])
    return (str(ip) if ip is not None else address, port)
