"""Which IP addresses outbound requests may reach: public unicast only, never cloud metadata."""

from __future__ import annotations

import ipaddress
import re
from typing import TypeVar

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# Instance metadata services: never reachable, whatever an admin or a test allows.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.253",  # AWS VPC DNS
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure WireServer (a public address, so listed by name)
        "192.0.0.192",  # Oracle Cloud
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",  # AWS VPC DNS over IPv6
    )
)
METADATA_HOSTNAMES: frozenset[str] = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
        "metadata.platformequinix.com",
    }
)

_Net = TypeVar("_Net", _V4, _V6)


def _rules(network: type[_Net], table: tuple[tuple[str, str], ...]) -> tuple[tuple[_Net, str], ...]:
    return tuple((network(net), why) for net, why in table)


# Order matters: the first match names the reason shown to the user.
_V4_RULES = _rules(_V4, (
    ("0.0.0.0/8", "an unspecified ('this network') address"),
    ("127.0.0.0/8", "a loopback address"),
    ("10.0.0.0/8", "a private address"),
    ("172.16.0.0/12", "a private address"),
    ("192.168.0.0/16", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT address"),
    ("169.254.0.0/16", "a link-local address"),
    ("192.0.0.0/24", "an IETF protocol assignment address"),
    ("192.0.2.0/24", "a documentation address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("192.88.99.0/24", "a 6to4 relay anycast address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("224.0.0.0/4", "a multicast address"),
    ("255.255.255.255/32", "the broadcast address"),
    ("240.0.0.0/4", "a reserved address"),
))

_V6_RULES = _rules(_V6, (
    ("::/128", "the unspecified address"),
    ("::1/128", "a loopback address"),
    ("::ffff:0:0:0/96", "a reserved IPv4-translated address"),
    ("::/96", "a deprecated IPv4-compatible address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001::/32", "a Teredo tunnel address"),
    ("2001:db8::/32", "a documentation address"),
    ("2001:2::/48", "a benchmarking address"),
    ("2001::/23", "an IETF protocol assignment address"),
    ("3fff::/20", "a documentation address"),
    ("5f00::/16", "a reserved segment-routing address"),
    ("fc00::/7", "a unique local (private) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
))
_V6_GLOBAL_UNICAST = _V6("2000::/3")
_NAT64 = _V6("64:ff9b::/96")

_NUMERIC_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$")
_NUMERIC_LOOKING = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)(\.(0[xX][0-9a-fA-F]*|[0-9]+))*\.?$")


def parse_ip(value: str | IPAddress) -> IPAddress | None:
    """Parse an address as the OS would connect to it, or None if it is not one."""
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text.replace("%25", "%"))
        except ValueError:
            return None
    return parse_ipv4_loose(text)


def parse_ipv4_loose(host: str) -> ipaddress.IPv4Address | None:
    """Read an IPv4 literal the way inet_aton does: 127.1, 2130706433, 0x7f000001, 0177.0.0.1."""
    if host.endswith("."):
        host = host[:-1]
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        return None
    values = [_part_value(p) for p in parts]
    # The last part fills every byte the earlier parts left over.
    last_bits = 8 * (5 - len(values))
    if any(v > 0xFF for v in values[:-1]) or values[-1] >= 1 << last_bits:
        return None
    number = 0
    for v in values[:-1]:
        number = (number << 8) | v
    number = (number << last_bits) | values[-1]
    return ipaddress.IPv4Address(number)


def _part_value(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def looks_numeric(host: str) -> bool:
    """True for hosts made only of numbers and dots, which resolvers read as IPv4 literals."""
    return bool(_NUMERIC_LOOKING.match(host))


def metadata_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is a cloud metadata address (directly or embedded), or None."""
    for candidate in (ip, _embedded_ipv4(ip)):
        if candidate is not None and _without_scope(candidate) in METADATA_ADDRESSES:
            return f"{ip} is a cloud metadata address"
    return None


def check_address(ip: str | IPAddress) -> str | None:
    """Why connecting to ``ip`` is refused, or None when it is a public unicast address."""
    parsed = parse_ip(ip)
    if parsed is None:
        return f"{ip!s} is not an IP address"
    meta = metadata_reason(parsed)
    if meta:
        return meta
    if isinstance(parsed, ipaddress.IPv4Address):
        return _check_v4(parsed)
    return _check_v6(parsed)


def _check_v4(ip: ipaddress.IPv4Address) -> str | None:
    kind = _v4_kind(ip)
    return f"{ip} is {kind}" if kind else None


def _v4_kind(ip: ipaddress.IPv4Address) -> str | None:
    for net, why in _V4_RULES:
        if ip in net:
            return why
    if not ip.is_global:
        return "not a public address"
    return None


def _check_v6(ip: ipaddress.IPv6Address) -> str | None:
    bare = _without_scope(ip)
    embedded = _embedded_ipv4(bare)
    if embedded is not None:
        # Mapped, NAT64 and 6to4 addresses reach the IPv4 address inside them.
        kind = _v4_kind(embedded)
        return f"{ip} embeds {embedded}, {kind}" if kind else None
    for net, why in _V6_RULES:
        if bare in net:
            return f"{ip} is {why}"
    if bare not in _V6_GLOBAL_UNICAST:
        return f"{ip} is a reserved address"
    return None


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if _without_scope(ip) in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _without_scope(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        return ipaddress.IPv6Address(int(ip))
    return ip
