"""Reaching a CalDAV server under the outbound guard's rules.

The caldav library is synchronous and does its own HTTP (niquests), so it cannot use the
guarded aiohttp client. Instead, before it connects, the server's name is resolved once and
every address is checked by the guard's rules (``check_host_sync``); the library's session then
gets a resolver that knows only those checked addresses for that one name. It never asks DNS
again, so a second answer (DNS rebinding) cannot send it elsewhere, while TLS still checks the
certificate against the name. Redirects are followed only within the same origin, environment
proxies and .netrc files are ignored, and no side traffic (HTTP/3 discovery, OCSP) is made.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import caldav
import niquests
from jarvis import OutboundPolicy
from yarl import URL

from .errors import CaldavError
from .settings import CaldavSettings

MAX_REDIRECTS = 3


def connection_policy(http: Any, settings: CaldavSettings) -> OutboundPolicy:
    """The guard's rules of the app's client (its test allowance included) plus the hosts the
    admin allowed for CalDAV. Settings never express a test allowance; only the app's client
    (``ctx.http`` / ``OUTBOUND_HTTP``) can carry one."""
    base = getattr(http, "policy", None)
    if not isinstance(base, OutboundPolicy):
        base = OutboundPolicy()
    return OutboundPolicy(
        allowed_private_hosts=base.allowed_private_hosts | set(settings.allowed_private_hosts),
        allow_loopback_for_tests=base.allow_loopback_for_tests,
    )


def _origin(url: URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host or "", url.port)


class PinnedSession(niquests.Session):
    """A session that reaches one origin only, at addresses the guard already checked."""

    def __init__(self, url: URL, addresses: list[str]):
        hosts = ",".join(f"{url.host}:{address}" for address in addresses)
        super().__init__(resolver=f"in-memory://default/?{urlencode({'hosts': hosts})}",
                         retries=0, disable_http3=True, revocation_configuration=None)
        self.trust_env = False  # a proxy would connect on our behalf where the guard never looked
        self.max_redirects = MAX_REDIRECTS
        self.origin = _origin(url)

    def get_redirect_target(self, resp: Any) -> str | None:
        """The redirect location, refused when it leaves the checked origin."""
        target = super().get_redirect_target(resp)
        if target is not None:
            following = URL(str(resp.url)).join(URL(target))
            if _origin(following) != self.origin:
                raise CaldavError(
                    f"the CalDAV server redirected to {following.origin()}, another server: "
                    "use that address as the server URL if you trust it")
        return target


def open_client(server_url: str, username: str, password: str, policy: OutboundPolicy,
                timeout: float) -> caldav.DAVClient:
    """A DAVClient pinned to the checked addresses of ``server_url`` (blocking: resolves DNS).

    Raises OutboundRefused (a refused address), OutboundError (no such host).
    """
    url = policy.check_url(server_url)
    addresses = policy.check_host_sync(url.host or "", url.port or 0)
    client = caldav.DAVClient(url=str(url), username=username, password=password,
                              timeout=timeout, enable_rfc6764=False)
    client.session.close()
    client.session = PinnedSession(url, addresses)
    return client
