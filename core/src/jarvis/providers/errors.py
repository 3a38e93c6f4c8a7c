"""Helpers shared by the providers for turning vendor failures into clear ProviderErrors."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any


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


def is_transport_error(exc: BaseException) -> bool:
    """An error of the HTTP transport (httpx and its successors) rather than of the vendor."""
    return type(exc).__module__.split(".")[0].startswith("httpx")


def error_detail(body: Any) -> tuple[str | None, str]:
    """(error type, message) from a vendor error body of either Anthropic's or OpenAI's shape."""
    if not isinstance(body, dict):
        return None, str(body or "")[:300]
    inner = body.get("error", body)
    if isinstance(inner, dict):
        return inner.get("type"), str(inner.get("message") or "")[:300]
    return None, str(inner)[:300]


def causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (``original_exception``, causes, contexts), in order."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = (
            getattr(current, "original_exception", None) or current.__cause__ or current.__context__
        )
    return chain
