"""The MCP SDK's HTTP client (httpx2) behind the outbound guard: every request's URL is checked,
its host resolved and checked, and the connection made to the checked address only."""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any

import httpx2
from jarvis import OutboundPolicy


def _literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


async def checked_address(policy: OutboundPolicy, url: str) -> str:
    """The address to connect to for ``url``; OutboundRefused for one the guard refuses."""
    parsed = policy.check_url(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    host = parsed.raw_host or ""
    if _literal(host.strip("[]")):  # nothing to resolve: no thread needed
        return policy.check_host_sync(host, port)[0]
    addresses = await asyncio.to_thread(policy.check_host_sync, host, port)
    return addresses[0]


class GuardedTransport(httpx2.AsyncHTTPTransport):
    """Connects only to addresses the outbound policy permits, pinned per request (so a second
    DNS answer cannot differ); TLS still checks the certificate against the host name."""

    def __init__(self, policy: OutboundPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.policy = policy

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        url = request.url
        address = await checked_address(self.policy, str(url))
        if not _literal(url.host):
            if url.scheme == "https":
                request.extensions = {**request.extensions, "sni_hostname": url.host}
            request.url = url.copy_with(host=address)
        return await super().handle_async_request(request)


def client_factory(policy: OutboundPolicy):
    """An McpHttpClientFactory (what the SDK's transports take) for guarded clients."""

    def make(headers: dict[str, str] | None = None, timeout: httpx2.Timeout | None = None,
             auth: httpx2.Auth | None = None) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            headers=headers, timeout=timeout or httpx2.Timeout(30.0, read=300.0), auth=auth,
            transport=GuardedTransport(policy), trust_env=False, follow_redirects=False)

    return make
