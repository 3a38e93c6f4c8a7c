"""Strict mail addresses and header values: one bare addr-spec, no tricks, no line breaks."""

from __future__ import annotations

import re
import unicodedata
from email.errors import HeaderParseError, MessageError
from email.headerregistry import Address

MAX_ADDRESS = 254
MAX_LOCAL = 64
# dot-atom of RFC 5322 atext: no quoted strings, comments or spaces.
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_MESSAGE_ID = re.compile(r"^<[!-;=?-~]{1,996}>$")  # printable ASCII without < > or spaces


class AddressError(ValueError):
    """An address or header value that cannot be used; the message says why."""


def has_control(text: str) -> bool:
    """True when ``text`` holds a line break or another control character."""
    return bool(_CONTROL.search(text))


def check_header(value: str, field: str) -> str:
    """``value`` unchanged, or AddressError when it could break out of its header line."""
    if has_control(value):
        raise AddressError(f"{field} must not contain line breaks or control characters")
    return value


def check_message_id(value: str, field: str = "in_reply_to") -> str:
    """A Message-ID like ``<abc@host>``, stripped of surrounding spaces."""
    text = check_header(value, field).strip()
    if not _MESSAGE_ID.match(text):
        raise AddressError(f"{field} must be one message id like <id@host>")
    return text


def normalize_address(raw: str) -> str:
    """The canonical form of a bare address: spaces trimmed, domain lower-case ASCII (IDNA).

    Refused: display names, comments, quoted or non-ASCII local parts, several addresses,
    domain literals, line breaks, and characters that Unicode normalisation (NFKC) would change
    (full-width and other look-alike forms).
    """
    if not isinstance(raw, str):
        raise AddressError("an address must be a string")
    if has_control(raw):
        raise AddressError("an address must not contain line breaks or control characters")
    text = raw.strip()
    if not text:
        raise AddressError("the address is empty")
    if unicodedata.normalize("NFKC", text) != text:
        raise AddressError(f"{text!r} contains look-alike (compatibility) characters")
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError, MessageError):
        raise AddressError(f"{text!r} is not one plain address like name@example.com") from None
    local, domain = parsed.username, parsed.domain
    if parsed.display_name or f"{local}@{domain}" != text:
        raise AddressError(f"{text!r} is not one plain address like name@example.com")
    if not local.isascii():
        raise AddressError(f"{text!r} has a non-ASCII local part")
    if len(local) > MAX_LOCAL or not _LOCAL.match(local):
        raise AddressError(f"{text!r} has an invalid local part")
    address = f"{local}@{normalize_domain(domain, text)}"
    if len(address) > MAX_ADDRESS:
        raise AddressError(f"{text!r} is longer than {MAX_ADDRESS} characters")
    return address


def normalize_domain(domain: str, shown: str | None = None) -> str:
    """A domain in lower-case ASCII; international names become their IDNA (xn--) form."""
    shown = shown or domain
    name = domain.lower()
    if name.endswith("."):
        name = name[:-1]
    labels = name.split(".")
    if len(labels) < 2:
        raise AddressError(f"{shown!r} needs a domain with a dot, like example.com")
    out = []
    for label in labels:
        if not label.isascii():
            try:
                label = label.encode("idna").decode("ascii")
            except UnicodeError:
                raise AddressError(f"{shown!r} has an invalid international domain") from None
        if not _LABEL.match(label):
            raise AddressError(f"{shown!r} has an invalid domain")
        out.append(label)
    if out[-1].isdigit():
        raise AddressError(f"{shown!r} has an invalid domain")
    return ".".join(out)


def address_domain(address: str) -> str:
    """The domain part of a normalised address."""
    return address.rpartition("@")[2]
