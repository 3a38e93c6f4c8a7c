"""Every response carries the security headers (errors and downloads too); HSTS only over
HTTPS, which a server sees directly or from a trusted proxy."""

from __future__ import annotations

import pytest
from jarvis.auth.headers import CONTENT_SECURITY_POLICY
from jarvis.testing.clients import start_client

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def assert_headers(resp):
    for name, value in EXPECTED.items():
        assert resp.headers.get(name) == value, (resp.status, name, resp.headers.get(name))


async def test_the_policy_is_the_documented_one():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/health", 200),
    ("GET", "/api/auth/me", 401),
    ("GET", "/api/nope", 404),
    ("DELETE", "/health", 405),
    ("POST", "/api/auth/login", 400),
])
async def test_every_answer_has_the_headers_and_no_hsts_over_http(anon_client, method, path,
                                                                  status):
    resp = await anon_client.request(method, path, data="{",
                                     headers={"Content-Type": "application/json"})
    assert resp.status == status
    assert_headers(resp)
    assert "Strict-Transport-Security" not in resp.headers


async def test_admin_and_user_pages_have_them(admin_client):
    resp = await admin_client.get("/api/admin/users")
    assert resp.status == 200
    assert_headers(resp)


async def test_hsts_behind_a_trusted_https_proxy_only(make_app):
    trusted = await start_client(make_app(trusted_proxies=["127.0.0.1"]))
    try:
        resp = await trusted.get("/health", headers={"X-Forwarded-Proto": "https"})
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
        assert_headers(resp)
        plain = await trusted.get("/health", headers={"X-Forwarded-Proto": "http"})
        assert "Strict-Transport-Security" not in plain.headers
    finally:
        await trusted.close()


async def test_an_untrusted_peer_cannot_claim_https(anon_client):
    resp = await anon_client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in resp.headers
