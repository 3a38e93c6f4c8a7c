"""Domain errors. Services raise these; one middleware turns them into the JSON error shape."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class JarvisError(Exception):
    """An error with an HTTP status, a human-readable message and optional detail."""

    status = 500

    def __init__(self, message: str, detail: Any = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadRequest(JarvisError):
    """400: the input is invalid; the message names the field."""

    status = 400


class NotAuthenticated(JarvisError):
    """401: no valid session or API key."""

    status = 401


class Forbidden(JarvisError):
    """403: signed in, but not allowed to do this."""

    status = 403


class NotFound(JarvisError):
    """404: no such object, and also the answer for another user's object."""

    status = 404


class Conflict(JarvisError):
    """409: the request clashes with what exists (a taken name, the last admin)."""

    status = 409


class PayloadTooLarge(JarvisError):
    """413: the body or upload is over its limit."""

    status = 413


class UnsupportedMediaType(JarvisError):
    """415: a body in a content type the route does not read."""

    status = 415


class TooManyRequests(JarvisError):
    """429: a rate or concurrency limit; ``retry_after`` seconds, when known."""

    status = 429

    def __init__(self, message: str, detail: Any = None, retry_after: float | None = None):
        super().__init__(message, detail)
        self.retry_after = retry_after


class ServiceUnavailable(JarvisError):
    """503: a part the request needs is not running (yet)."""

    status = 503


def validation_message(err: ValidationError, where: str = "") -> str:
    """One readable line naming the first invalid field."""
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if p != "__root__")
    name = f"{where}{loc}" if loc else (where.rstrip(".") or "body")
    return f"{name}: {first['msg']}"
