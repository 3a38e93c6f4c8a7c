"""Every route of an app with all installed plugins, called as every kind of caller: the answer's
status class must match the route's declared access."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from jarvis.keys import IDENTITY
from jarvis.testing.clients import JarvisClient, api_key_for, create_user, login, start_client
from jarvis.web import Access, route_spec

GRANTED = {"user_a", "user_a_key", "user_b", "admin", "admin_key"}
ADMINS = {"admin", "admin_key"}
LOCKED_OUT = {"anon", "revoked_key", "disabled", "pre_mfa"}
DUMMY = "0123456789abcdef0123456789abcdef"
TIMEOUT = aiohttp.ClientTimeout(total=20)


@dataclass
class Caller:
    name: str
    client: JarvisClient
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as declared
    url: str  # with dummy path parameters
    access: Access | None


def endpoints(app: web.Application) -> list[Endpoint]:
    out = []
    for route in app.router.routes():
        resource = route.resource
        if resource is None:
            continue
        spec = route_spec(route.handler)
        if spec is not None:
            access = spec.access
        elif isinstance(resource, web.StaticResource):
            access = Access.ANON  # static files (the web UI) are public by nature
        else:
            access = None
        path = resource.canonical
        url = re.sub(r"\{[^}]+\}", DUMMY, path)
        method = "GET" if route.method == "*" else route.method
        out.append(Endpoint(method, path, url, access))
    # Logging out ends the caller's session: do it after everything else.
    return sorted(out, key=lambda e: (e.path == "/api/auth/logout", e.path, e.method))


async def callers(anon: JarvisClient) -> list[Caller]:
    app = anon.app
    user_a = await anon.as_user("user", username="alice")
    user_b = await anon.as_user("user", username="bob")
    admin = await anon.as_user("admin", username="root")
    for granted in (user_a, user_b, admin):  # protected actions need a recent re-authentication
        await granted.reauth()
    a_key = await api_key_for(app, user_a.user)
    admin_key = await api_key_for(app, admin.user)

    revoked_key = await api_key_for(app, user_a.user, name="revoked")
    resp = await user_a.get("/api/my/api-keys")
    revoked_id = next(k["id"] for k in await resp.json() if k["name"] == "revoked")
    assert (await user_a.delete(f"/api/my/api-keys/{revoked_id}")).status == 200

    disabled = await anon.as_user("user", username="carol")
    resp = await admin.put(f"/api/admin/users/{disabled.user.id}", json={"is_active": False})
    assert resp.status == 200

    mfa_user = await create_user(app, "dave", "dave's long password")
    await app[IDENTITY].mfa.setup(mfa_user, enable=True)
    pre_mfa = await anon.spawn()
    challenge = (await login(pre_mfa, "dave", "dave's long password"))["challenge"]

    spare = await anon.spawn()
    return [
        Caller("anon", anon),
        Caller("user_a", user_a),
        Caller("user_a_key", spare, {"X-API-Key": a_key}),
        Caller("user_b", user_b),
        Caller("admin", admin),
        Caller("admin_key", spare, {"Authorization": f"Bearer {admin_key}"}),
        Caller("revoked_key", spare, {"X-API-Key": revoked_key}),
        Caller("disabled", disabled),
        Caller("pre_mfa", pre_mfa, {"Authorization": f"Bearer {challenge}"}),
    ]


# Anonymous routes with a credential of their own, which no session or API key stands in for
# (tests/core/api/test_operations.py covers the metrics token).
OWN_CREDENTIAL = {"/metrics"}
# The OpenAI-compatible door takes API keys only: a session is not a key.
KEY_ONLY = {"/v1/models", "/v1/chat/completions"}
SESSIONS = {"user_a", "user_b", "admin"}


def verdict(access: Access, caller: str, status: int, path: str = "") -> str | None:
    """What is wrong with ``status`` for this caller of a route with this access, if anything."""
    if status >= 500:
        return "server error"
    if path in OWN_CREDENTIAL:
        return None if status in (401, 403) else "expected 401 or 403 without its own token"
    if path in KEY_ONLY and caller in SESSIONS:  # (a body that is no completion is a 400 first)
        return None if status in (400, 401) else "expected 401 for a session"
    if access is Access.ANON:
        return "refused on an anonymous route" if status in (401, 403) else None
    if caller in LOCKED_OUT:
        return None if status == 401 else "expected 401"
    if access is Access.ADMIN and caller not in ADMINS:
        return None if status == 403 else "expected 403"
    return "refused although granted" if status in (401, 403) else None


async def call(caller: Caller, endpoint: Endpoint) -> int:
    async with caller.client.request(
        endpoint.method,
        endpoint.url,
        headers=caller.headers,
        timeout=TIMEOUT,
        allow_redirects=False,
    ) as resp:
        await resp.read()
        return resp.status


async def test_every_route_declares_access_and_enforces_it(all_plugins_app):
    anon = await start_client(all_plugins_app)
    try:
        found = endpoints(all_plugins_app)
        undeclared = [f"{e.method} {e.path}" for e in found if e.access is None]
        assert not undeclared, f"routes without an access declaration: {undeclared}"
        assert {"/api/admin/users", "/api/my/api-keys", "/api/auth/login"} <= {
            e.path for e in found
        }

        who = await callers(anon)
        problems = []
        for endpoint in found:
            for caller in who:
                status = await call(caller, endpoint)
                wrong = verdict(endpoint.access, caller.name, status, endpoint.path)
                if wrong:
                    problems.append(
                        f"{endpoint.method} {endpoint.path} [{endpoint.access.value}] "
                        f"as {caller.name}: {status} ({wrong})"
                    )
        assert not problems, "\n".join(problems)
    finally:
        await anon.close()


def test_the_verdicts_catch_what_they_should():
    assert verdict(Access.USER, "anon", 200) == "expected 401"
    assert verdict(Access.ADMIN, "user_a_key", 200) == "expected 403"
    assert verdict(Access.OWNER, "user_b", 403) == "refused although granted"
    assert verdict(Access.ANON, "anon", 401) == "refused on an anonymous route"
    assert verdict(Access.ADMIN, "admin_key", 500) == "server error"
    assert verdict(Access.OWNER, "user_b", 404) is None
