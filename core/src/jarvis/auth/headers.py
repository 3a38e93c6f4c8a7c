"""Security headers on every response the server sends: pages, JSON, errors, downloads and
WebSocket handshakes alike (set when a response is prepared, whatever produced it).

A route that sets one of these itself (e.g. ``Content-Security-Policy: sandbox`` on a user's
file) keeps its own value.
"""

from __future__ import annotations

from aiohttp import web

from .http import Network, is_https

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Sent only over HTTPS (directly or from a trusted proxy): browsers ignore it on plain HTTP.
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(trusted: list[Network]):  # noqa: ANN201 - an aiohttp signal handler
    """The ``on_response_prepare`` handler adding the headers."""
    items = tuple(HEADERS.items())

    async def add(request: web.BaseRequest, response: web.StreamResponse) -> None:
        headers = response.headers
        for name, value in items:
            headers.setdefault(name, value)
        if (trusted or request.secure) and is_https(request, trusted):
            headers.setdefault("Strict-Transport-Security", HSTS)

    return add
