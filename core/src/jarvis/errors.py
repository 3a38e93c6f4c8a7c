"""Domain errors. Services raise these; one middleware turns them into the JSON error shape."""

from __future__ import annotations

from typing import Any


class JarvisError(Exception):
    """An error with an HTTP status, a human-readable message and optional detail."""

    status = 500

    def __init__(self, message: str, detail: Any = None):
        super().__init__(message)
        self.message = message
        self.detail = detail


class BadRequest(JarvisError):
    status = 400


class NotAuthenticated(JarvisError):
    status = 401


class Forbidden(JarvisError):
    status = 403


class NotFound(JarvisError):
    status = 404


class Conflict(JarvisError):
    status = 409


class PayloadTooLarge(JarvisError):
    status = 413


class UnsupportedMediaType(JarvisError):
    status = 415


class TooManyRequests(JarvisError):
    status = 429

    def __init__(self, message: str, detail: Any = None, retry_after: float | None = None):
        super().__init__(message, detail)
        self.retry_after = retry_after


class ServiceUnavailable(JarvisError):
    status = 503
