"""The security headers of the web interface's responses, kept in one place."""

from __future__ import annotations

from aiohttp import web

# No inline script or style, nothing from another origin: a model's answer that smuggles in
# markup can neither run script nor make the browser fetch an outside URL.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

UI_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def secure(response: web.StreamResponse) -> web.StreamResponse:
    """Add the interface's security headers (those already set stay)."""
    for name, value in UI_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
