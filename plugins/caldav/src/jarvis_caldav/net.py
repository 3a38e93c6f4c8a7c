"""Reaching a CalDAV server under the outbound guard's rules.

The caldav library is synchronous and does its own HTTP (niquests), so it cannot use the
guarded aiohttp client. Instead its session resolves every host through :class:`GuardResolver`:
each time a connection is opened, whatever built its URL (the settings, a redirect, an href in
a server's answer such as a calendar-home-set on another host), the host is resolved by the OS
and every address is checked by the guard's rules (``check_host_sync``); the connection goes to
those checked addresses only, so a second DNS answer (rebinding) cannot send it elsewhere, and
TLS still checks the certificate against the name. niquests' own resolver list (which resolves
``localhost`` by itself) is never used. Every request's URL gets the guard's static checks too.
Redirects are followed only within the same origin, environment proxies and .netrc files are
ignored, and no side traffic (HTTP/3 discovery, OCSP) is made.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import niquests
from caldav.davclient import DAVClient
from jarvis import OutboundPolicy, OutboundRefused
from niquests.packages.urllib3.contrib.resolver import BaseResolver, ProtocolResolver
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


class GuardResolver(BaseResolver):
    """Resolves with the OS and keeps only the addresses the guard permits, for every host
    the session connects to; raises OutboundRefused when none is left."""

    protocol = ProtocolResolver.MANUAL
    implementation = "jarvis-guard"

    def __init__(self, policy: OutboundPolicy):
        super().__init__(None, None)
        self.policy = policy

    def recycle(self) -> BaseResolver:
        return self

    def close(self) -> None:
        pass  # nothing held open

    def is_available(self) -> bool:
        return True

    def getaddrinfo(self, host: bytes | str | None, port: str | int | None,
                    family: socket.AddressFamily, type: socket.SocketKind, proto: int = 0,
                    flags: int = 0, *, quic_upgrade_via_dns_rr: bool = False) -> list[Any]:
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        number = int(port or 0)
        records = []
        for address in self.policy.check_host_sync(host or "localhost", number):
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            found = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            if family not in (socket.AF_UNSPEC, found):
                continue
            where = (address, number, 0, 0) if ip.version == 6 else (address, number)
            records.append((found, type or socket.SOCK_STREAM, proto, "", where))
        if not records:
            raise OutboundRefused(f"{host} has no permitted address of the wanted kind")
        return records


class GuardedSession(niquests.Session):
    """A session whose every connection goes through the guard (see the module's doc)."""

    def __init__(self, url: URL, policy: OutboundPolicy):
        super().__init__(resolver=GuardResolver(policy), retries=0, disable_http3=True,
                         revocation_configuration=None)
        self.trust_env = False  # a proxy would connect on our behalf where the guard never looked
        self.max_redirects = MAX_REDIRECTS
        self.origin = _origin(url)
        self.policy = policy

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        """Check the URL statically first (scheme, credentials, literal addresses)."""
        self.policy.check_url(str(url))
        return super().request(method, url, *args, **kwargs)

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
                timeout: float) -> DAVClient:
    """A DAVClient whose every connection passes the guard (blocking: resolves DNS).

    Raises OutboundRefused (a refused address), OutboundError (no such host).
    """
    url = policy.check_url(server_url)
    policy.check_host_sync(url.host or "", url.port or 0)  # fail early, before the library
    # caldav annotates the timeout as int; it hands it to niquests, which takes seconds as float
    client = DAVClient(url=str(url), username=username, password=password,
                       timeout=timeout, enable_rfc6764=False)  # type: ignore[arg-type]
    client.session.close()
    client.session = GuardedSession(url, policy)
    return client
