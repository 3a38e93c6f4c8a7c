"""The shape of a CalDAV server URL (where it may connect is decided when it connects)."""

from __future__ import annotations

import re

from yarl import URL

_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_HOST = r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?"
# http(s), a host name or IPv4 address (IDNs in their xn-- form; IPv6 servers by name), an
# optional port and path; no login, query or fragment. JSON Schema and Python read it alike.
SERVER_URL_PATTERN = rf"^https?://{_HOST}(:{_PORT})?(/[^\s?#\\\x00-\x1f\x7f]*)?$"
_SHAPE = re.compile(SERVER_URL_PATTERN)


def check_server_url(value: str) -> str:
    """A pydantic validator: the URL must have the pattern's shape and parse."""
    if not _SHAPE.match(value):
        raise ValueError("must be an address like https://cal.example.com/dav/ (http or https; "
                         "no login, query or fragment)")
    try:
        url = URL(value)
    except ValueError as err:
        raise ValueError(f"is not a valid URL: {err}") from None
    if not url.host:
        raise ValueError("has no host")
    return value
