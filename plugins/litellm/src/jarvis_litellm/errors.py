"""litellm's failures as clear ProviderErrors naming the vendor behind it."""

from __future__ import annotations

from jarvis import ProviderError, rate_limited, retry_after


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


def _vendor_message(exc: BaseException) -> str:
    # litellm prefixes its class names; keep the vendor's own words
    text = str(getattr(exc, "message", None) or exc).split("Original exception", 1)[0]
    return text.rsplit("Exception - ", 1)[-1].strip()[:300]


def map_error(exc: BaseException, vendor: str, timeout: float) -> ProviderError:
    """A ProviderError with a clear message for a litellm failure."""
    # loaded with litellm by then, so importing it here costs nothing
    from litellm import exceptions as litellm

    mid_stream = getattr(litellm, "MidStreamFallbackError", ())
    if isinstance(exc, mid_stream):
        chain = causes(exc)
        if any(isinstance(e, litellm.Timeout) for e in chain):
            return ProviderError(f"{vendor} did not answer within {timeout:g} s")
        if any(isinstance(e, ValueError) for e in chain):
            return ProviderError(f"{vendor} sent a malformed answer")
        original = exc.original_exception or exc
        return ProviderError(
            f"the answer from {vendor} broke off mid-stream: {_vendor_message(original)}"
        )
    status = getattr(exc, "status_code", None)
    if isinstance(exc, litellm.Timeout):
        return ProviderError(f"{vendor} did not answer within {timeout:g} s")
    if isinstance(exc, litellm.AuthenticationError):
        return ProviderError(f"{vendor} rejected the API key", status=401)
    if isinstance(exc, litellm.RateLimitError):
        response = getattr(exc, "response", None)
        wait = retry_after(getattr(response, "headers", None) or getattr(exc, "headers", None))
        return ProviderError(rate_limited(vendor, wait), status=429, retry_after=wait)
    if isinstance(exc, litellm.APIConnectionError):
        return ProviderError(f"could not reach {vendor}: {_vendor_message(exc)}")
    if isinstance(exc, litellm.ContextWindowExceededError):
        return ProviderError(f"the conversation is too long for this {vendor} model", status=400)
    if isinstance(exc, litellm.NotFoundError):
        return ProviderError(
            f"{vendor} does not know this model: {_vendor_message(exc)}", status=404
        )
    if isinstance(status, int) and status >= 500:
        return ProviderError(f"{vendor} is unavailable (HTTP {status})", status=status)
    if isinstance(status, int) and status >= 400:
        return ProviderError(
            f"{vendor} refused the request (HTTP {status}): {_vendor_message(exc)}", status=status
        )
    return ProviderError(f"the {vendor} call failed: {_vendor_message(exc)}")
