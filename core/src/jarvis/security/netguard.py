"""The outbound guard's rules: which URLs and resolved addresses a request may reach."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator
from yarl import URL

from .addresses import (
    METADATA_HOSTNAMES,
    IPAddress,
    check_address,
    looks_numeric,
    metadata_reason,
    parse_ip,
)

ALLOWED_SCHEMES = frozenset({"http", "https"})
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Network("::1/128")
_BAD_URL_CHARS = re.compile(r"[\\\s\x00-\x1f\x7f]")
_HOSTNAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")


class OutboundError(Exception):
    """An outbound request failed: refused, timed out, too large or unreachable."""


class OutboundRefused(OutboundError):
    """The guard refused a request; ``reason`` says why in words a user understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"refused: {reason}")
        self.reason = reason


class OutboundTimeout(OutboundError):
    """The request took longer than its time limit."""


class OutboundTooLarge(OutboundError):
    """The response body is larger than the size limit."""


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_Entry = tuple[str | Network, int | None]


class OutboundPolicy:
    """Refuses non-public addresses, except what an admin or a test names explicitly.

    ``allowed_private_hosts`` comes from settings: hostnames, IPs or networks (optionally with
    ``:port``) an admin lets the agent reach although they are private, e.g. a CalDAV server on
    the LAN. ``allow_loopback_for_tests`` exists only for test suites that run fake servers on
    loopback; the settings path never sets it. Neither ever unlocks a cloud metadata address.
    """

    def __init__(
        self,
        allowed_private_hosts: Iterable[str] = (),
        allow_loopback_for_tests: Iterable[str] = (),
    ) -> None:
        self.allowed_private_hosts = frozenset(allowed_private_hosts)
        self.allow_loopback_for_tests = frozenset(allow_loopback_for_tests)
        self._admin = [_parse_entry(e, "allowed_private_hosts") for e in self.allowed_private_hosts]
        self._tests = [
            _parse_entry(e, "allow_loopback_for_tests") for e in self.allow_loopback_for_tests
        ]
        for target, _port in self._tests:
            if isinstance(target, str) or not _is_loopback_net(target):
                raise ValueError(f"allow_loopback_for_tests takes loopback only: {target}")
        for target, _port in self._admin:
            if not isinstance(target, str) and metadata_reason(target.network_address):
                raise ValueError(f"allowed_private_hosts cannot allow a metadata address: {target}")

    def check_target(self, ip: str | IPAddress, port: int, host: str | None = None) -> str | None:
        """Why connecting to ``ip:port`` (resolved from ``host``) is refused, or None."""
        parsed = parse_ip(ip)
        if parsed is None:
            return f"{ip} is not an IP address"
        name = _normal_host(host) if host else None
        if name in METADATA_HOSTNAMES:
            return f"{name} is a cloud metadata host"
        reason = check_address(parsed)
        if reason is None or metadata_reason(parsed):
            return reason
        if _matches(self._tests, parsed, port, None) or _matches(self._admin, parsed, port, name):
            return None
        if name and parse_ip(name) is None:
            return f"{reason} (resolved from {name})"
        return reason

    def check_url(self, url: str | URL) -> URL:
        """Check scheme, credentials, host and literal addresses of ``url``; return it parsed."""
        if isinstance(url, str):
            reject_bad_characters(url)
            try:
                parsed = URL(url)
            except ValueError as exc:
                raise OutboundRefused(f"malformed URL: {exc}") from None
        else:
            parsed = url
        scheme = (parsed.scheme or "").lower()
        if scheme not in ALLOWED_SCHEMES:
            shown = scheme or "a relative URL"
            raise OutboundRefused(f"only http and https URLs are allowed, not {shown}")
        if "@" in (parsed.raw_authority or "") or parsed.raw_user or parsed.raw_password:
            raise OutboundRefused("URLs with a user name or password in them are not allowed")
        host = _normal_host(parsed.raw_host or "")
        if not host:
            raise OutboundRefused("the URL has no host")
        port = parsed.port
        if port is None or not 0 < port < 65536:
            raise OutboundRefused(f"invalid port in {parsed.human_repr()}")
        if self._checked_literal(host, port) is None:
            if looks_numeric(host):
                raise OutboundRefused(f"{host} is a malformed numeric address")
            if not _HOSTNAME.match(host):
                raise OutboundRefused(f"{host!r} is not a valid host name")
        return parsed

    def _checked_literal(self, host: str, port: int) -> IPAddress | None:
        """The address ``host`` spells, if it is one, after checking it may be reached;
        OutboundRefused for a metadata host or a refused address."""
        if host in METADATA_HOSTNAMES:
            raise OutboundRefused(f"{host} is a cloud metadata host")
        literal = parse_ip(host)
        if literal is not None:
            reason = self.check_target(literal, port)
            if reason:
                raise OutboundRefused(reason)
        return literal

    def check_host_sync(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` with the OS resolver and return the addresses it may connect to.

        For client libraries that cannot take the guarded connector: connect to one of the
        returned addresses (not the name again) so a second DNS answer cannot differ.
        """
        name = _normal_host(host)
        literal = self._checked_literal(name, port)
        if literal is not None:
            return [str(literal)]
        try:
            infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise OutboundError(f"could not resolve {name}: {exc}") from exc
        allowed: list[str] = []
        reasons: list[str] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            address = str(sockaddr[0])
            reason = self.check_target(address, port, host=name)
            if reason:
                reasons.append(reason)
            elif address not in allowed:
                allowed.append(address)
        if not allowed:
            raise OutboundRefused(reasons[0] if reasons else f"{name} has no addresses")
        return allowed


DEFAULT_POLICY = OutboundPolicy()


def reject_bad_characters(url: str) -> None:
    """Refuse backslashes, whitespace and control characters, which parsers read differently."""
    if _BAD_URL_CHARS.search(url):
        raise OutboundRefused("the URL contains a backslash, space or control character")


def check_url(url: str | URL, policy: OutboundPolicy = DEFAULT_POLICY) -> URL:
    """Raise OutboundRefused unless ``url`` passes the guard's static checks."""
    return policy.check_url(url)


def check_host_sync(host: str, port: int, policy: OutboundPolicy = DEFAULT_POLICY) -> list[str]:
    """Resolve and check ``host``; return the permitted addresses or raise OutboundRefused."""
    return policy.check_host_sync(host, port)


def _normal_host(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    # One trailing dot is the fully qualified form of the same name.
    return host[:-1] if host.endswith(".") else host


def _parse_entry(entry: str, setting: str) -> _Entry:
    """Read ``host``, ``host:port``, ``[v6]:port``, ``ip`` or ``network`` from a setting."""
    text = entry.strip().lower()
    port: int | None = None
    if text.startswith("["):
        inner, _, rest = text[1:].partition("]")
        text = inner
        if rest:
            port = _port(rest.removeprefix(":"), entry, setting)
    elif text.count(":") == 1:
        text, raw_port = text.split(":")
        port = _port(raw_port, entry, setting)
    if "/" in text:
        try:
            return ipaddress.ip_network(text, strict=False), port
        except ValueError:
            raise ValueError(f"{setting}: {entry!r} is not a network") from None
    ip = parse_ip(text)
    if ip is not None:
        return ipaddress.ip_network(ip), port
    text = _normal_host(text)
    if not text or not _HOSTNAME.match(text):
        raise ValueError(f"{setting}: {entry!r} is not a host name")
    return text, port


def _port(raw: str, entry: str, setting: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ValueError(f"{setting}: {entry!r} has an invalid port")
    return int(raw)


def _is_loopback_net(net: Network) -> bool:
    if isinstance(net, ipaddress.IPv4Network):
        return net.subnet_of(_LOOPBACK_V4)
    return net.subnet_of(_LOOPBACK_V6)


def _matches(entries: list[_Entry], ip: IPAddress, port: int, host: str | None) -> bool:
    bare: IPAddress = ip
    if isinstance(ip, ipaddress.IPv6Address):
        bare = ip.ipv4_mapped or ipaddress.IPv6Address(int(ip))  # drop the scope id
    for target, allowed_port in entries:
        if allowed_port is not None and allowed_port != port:
            continue
        if isinstance(target, str):
            if host is not None and host == target:
                return True
        elif bare.version == target.version and bare in target:
            return True
    return False


def outbound_policy(http: Any, allowed_private_hosts: Iterable[str] = ()) -> OutboundPolicy:
    """The guard's rules of the app's client ``http`` (its test allowance included) plus the
    private hosts an admin allowed for one plugin. Settings never express a test allowance;
    only the app's client (``ctx.http`` / ``OUTBOUND_HTTP``) can carry one."""
    base = getattr(http, "policy", None)
    if not isinstance(base, OutboundPolicy):
        base = OutboundPolicy()
    return OutboundPolicy(
        allowed_private_hosts=base.allowed_private_hosts | set(allowed_private_hosts),
        allow_loopback_for_tests=base.allow_loopback_for_tests,
    )


def _checked_hosts(value: list[str]) -> list[str]:
    OutboundPolicy(allowed_private_hosts=value)  # the guard's own parser names a bad entry
    return value


# A plugin setting naming the private hosts its users' servers may be on ("radicale.lan:5232",
# "192.168.1.20", "10.0.0.0/24"), checked by the guard's parser when the settings load.
AllowedPrivateHosts = Annotated[list[str], AfterValidator(_checked_hosts)]
