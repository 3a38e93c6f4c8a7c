"""Redacting secrets from what the audit log stores: by argument name and by value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

REDACTED = "[redacted]"
MAX_STRING = 2000  # longer strings are cut: the audit log keeps a record, not the payload
MAX_ITEMS = 200
MAX_DEPTH = 12

# Argument names that hold secrets: password, api_key, access_token, Authorization, ...
SECRET_NAME = re.compile(
    r"(^|_)pass(word|wd|phrase)?(_|$)|password|passwd|secret|token|api_?key|apikey"
    r"|authori[sz]ation|cookie|private_?key|(^|_)t?otp(_|$)|mfa_?code",
    re.IGNORECASE,
)
COUNT_NAME = re.compile(r"tokens$|_count$", re.IGNORECASE)  # max_tokens is a number, not a secret

SecretTest = Callable[[str], bool]


def is_secret_name(name: str) -> bool:
    normal = name.replace("-", "_")
    return bool(SECRET_NAME.search(normal)) and not COUNT_NAME.search(normal)


def cut(text: str, limit: int = MAX_STRING) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters]"


def redact(value: Any, is_secret: SecretTest | None = None, _depth: int = 0) -> Any:
    """A JSON-safe copy of ``value`` with secret-named fields and known secret values hidden."""
    if _depth > MAX_DEPTH:
        return "[too deep]"
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for i, (k, v) in enumerate(value.items()):
            if i >= MAX_ITEMS:
                out["..."] = f"{len(value) - MAX_ITEMS} more"
                break
            name = str(k)
            if is_secret_name(name) and v is not None and not isinstance(v, bool):
                out[name] = REDACTED
            else:
                out[name] = redact(v, is_secret, _depth + 1)
        return out
    if isinstance(value, list | tuple | set):
        items = [redact(v, is_secret, _depth + 1) for v in list(value)[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            items.append(f"... {len(value) - MAX_ITEMS} more")
        return items
    if isinstance(value, str):
        if is_secret is not None and is_secret(value):
            return REDACTED
        return cut(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, bytes):
        return f"[{len(value)} bytes]"
    return redact(str(value), is_secret, _depth)


def redact_text(text: str, is_secret: SecretTest | None = None, limit: int = MAX_STRING) -> str:
    if is_secret is not None and is_secret(text):
        return REDACTED
    return cut(text, limit)
