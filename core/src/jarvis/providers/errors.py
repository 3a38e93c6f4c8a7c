"""Reading a vendor's rate limit: how long to wait, and the message that says so."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds to wait from ``retry-after-ms`` / ``retry-after`` (seconds or an HTTP date)."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def rate_limited(vendor: str, wait: float | None) -> str:
    """The message for a rate limit, with the wait when the vendor gave one."""
    if wait is None:
        return f"rate limited by {vendor}"
    return f"rate limited by {vendor} (retry after {wait:g} s)"
