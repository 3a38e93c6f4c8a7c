"""Anthropic's failures (the SDK's exceptions, error bodies, stream error events) as clear
ProviderErrors."""

from __future__ import annotations

from typing import Any

from jarvis import ProviderError, rate_limited, retry_after

# an error event inside a streamed (HTTP 200) answer carries only its type
STREAM_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}


def sdk() -> Any:
    """The anthropic module; called once ``import_lazily`` imported it (a dictionary lookup)."""
    import anthropic

    return anthropic


def map_error(exc: BaseException, timeout: float) -> ProviderError:
    """A ProviderError with a clear message for an SDK or transport failure."""
    anthropic = sdk()
    if isinstance(exc, anthropic.APITimeoutError) or (
        is_transport_error(exc) and "Timeout" in type(exc).__name__
    ):
        return ProviderError(f"Anthropic did not answer within {timeout:g} s")
    if isinstance(exc, anthropic.APIConnectionError):
        cause = exc.__cause__ or exc
        return ProviderError(f"could not reach Anthropic: {cause}")
    if isinstance(exc, anthropic.APIStatusError):
        return _status_error(exc)
    if isinstance(exc, ValueError | anthropic.APIResponseValidationError):
        return ProviderError("Anthropic sent a malformed answer")
    if is_transport_error(exc):
        return ProviderError(f"the connection to Anthropic broke mid-answer: {exc}")
    return ProviderError(f"the Anthropic call failed: {type(exc).__name__}: {exc}")


def _status_error(exc: Any) -> ProviderError:
    kind, detail = error_detail(exc.body)
    status = exc.status_code
    if status < 400:
        status = STREAM_ERROR_STATUS.get(kind or "", 500)
    if status == 401:
        return ProviderError("Anthropic rejected the API key", status=401)
    if status == 429:
        wait = retry_after(exc.response.headers) if exc.status_code == 429 else None
        return ProviderError(rate_limited("Anthropic", wait), status=429, retry_after=wait)
    if status >= 500:
        return ProviderError(f"Anthropic is unavailable (HTTP {status})", status=status)
    if status == 403:
        return ProviderError(f"Anthropic refused access: {detail}", status=403)
    return ProviderError(f"Anthropic refused the request (HTTP {status}): {detail}", status=status)


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
