"""Domain names as the web whitelist stores and matches them."""

from __future__ import annotations

import ipaddress
import re

import idna
from tld import get_fld, get_tld
from yarl import URL

MAX_DOMAIN = 253
# Host names in the wild carry underscores now and then (DNS allows them), so labels may too.
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


class DomainError(ValueError):
    """Not a domain name the whitelist can hold; the message says why."""


def normalize_domain(raw: str) -> str:
    """The stored form: lower case, no scheme, path, port or trailing dot, IDN as punycode.

    ``https://Bücher.DE./x`` -> ``xn--bcher-kva.de``; ``*.example.com`` -> ``example.com``
    (subdomains always match). Raises DomainError for anything else.
    """
    text = raw.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    for sep in "/?#":
        text = text.split(sep, 1)[0]
    if "@" in text:
        raise DomainError("a domain has no user name part")
    if text.startswith("[") or text.count(":") > 1:
        raise DomainError("IP addresses cannot be whitelisted, only domain names")
    text = text.split(":", 1)[0].rstrip(".").lower()
    text = text.removeprefix("*.")
    if not text:
        raise DomainError("the domain is empty")
    if text.isascii():
        return _checked(text)
    try:
        ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as err:
        raise DomainError(f"not a valid domain name ({err})") from None
    return _checked(ascii_name)


def _checked(name: str) -> str:
    if len(name) > MAX_DOMAIN:
        raise DomainError(f"a domain has at most {MAX_DOMAIN} characters")
    labels = name.split(".")
    if len(labels) < 2:
        raise DomainError("give a full domain name such as example.com")
    if not all(_LABEL.match(label) for label in labels):
        raise DomainError("a domain has letters, digits and hyphens between its dots")
    if labels[-1].isdigit():
        raise DomainError("IP addresses cannot be whitelisted, only domain names")
    return name


def is_public_suffix(name: str) -> bool:
    """True for a name under which anyone may register their own (``com``, ``co.uk``,
    ``github.io``): an entry of the Public Suffix List, its ICANN or its private part."""
    return get_tld(name, fix_protocol=True, fail_silently=True, as_object=False) == name


def whitelist_domain(raw: str) -> str:
    """:func:`normalize_domain` for a new whitelist or trust entry, which may not be a public
    suffix: trusting ``github.io`` would trust every site anyone puts there."""
    name = normalize_domain(raw)
    if is_public_suffix(name):
        raise DomainError(
            f"{name} is a public suffix: anyone can register a site under it; "
            f"give a domain of your own such as example.{name}"
        )
    return name


def host_of(url: str) -> str:
    """The host of an http(s) URL in the stored form (an IP address stays as it is).

    Parsed as the outbound client parses it, so ``http://good.test@evil.test/`` is evil.test.
    """
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as err:
        raise DomainError(f"not a valid URL ({err})") from None
    if parsed.scheme not in ("http", "https"):
        raise DomainError("only http:// and https:// addresses can be fetched")
    raw = (parsed.raw_host or "").rstrip(".").lower()
    if not raw:
        raise DomainError("the URL has no host")
    if is_ip(raw):
        return raw
    try:
        return normalize_domain(raw)
    except DomainError as err:
        raise DomainError(f"the URL's host {raw!r} is not valid: {err}") from None


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def suffixes(host: str) -> list[str]:
    """The host and each parent domain, whole labels only: a.b.example.com -> a.b.example.com,
    b.example.com, example.com (so evil-example.com never matches example.com)."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def registrable(host: str) -> str:
    """The domain one registrant controls (example.co.uk for www.example.co.uk): the key under
    which a chat session remembers the user's approval."""
    if is_ip(host):
        return host
    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found
    return ".".join(host.split(".")[-2:])
