"""Domain errors. Services raise these; one middleware turns them into the JSON error shape."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError


class JarvisError(Exception):
    """An error with an HTTP status, a human-readable message and optional detail. A subclass
    names its status in its class line: ``class RunFailed(JarvisError, status=502)``."""

    status: ClassVar[int] = 500

    def __init_subclass__(cls, status: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status

    def __init__(self, message: str, detail: Any = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadRequest(JarvisError, status=400):
    """400: the input is invalid; the message names the field."""


class NotAuthenticated(JarvisError, status=401):
    """401: no valid session or API key."""


class Forbidden(JarvisError, status=403):
    """403: signed in, but not allowed to do this."""


class NotFound(JarvisError, status=404):
    """404: no such object, and also the answer for another user's object."""


class Conflict(JarvisError, status=409):
    """409: the request clashes with what exists (a taken name, the last admin)."""


class PayloadTooLarge(JarvisError, status=413):
    """413: the body or upload is over its limit."""


class UnsupportedMediaType(JarvisError, status=415):
    """415: a body in a content type the route does not read."""


class TooManyRequests(JarvisError, status=429):
    """429: a rate or concurrency limit; ``retry_after`` seconds, when known."""

    def __init__(self, message: str, detail: Any = None, retry_after: float | None = None):
        super().__init__(message, detail)
        self.retry_after = retry_after


class ServiceUnavailable(JarvisError, status=503):
    """503: a part the request needs is not running (yet)."""


def validation_message(err: ValidationError, where: str = "") -> str:
    """One readable line naming the first invalid field."""
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"] if p != "__root__")
    name = f"{where}{loc}" if loc else (where.rstrip(".") or "body")
    return f"{name}: {first['msg']}"
