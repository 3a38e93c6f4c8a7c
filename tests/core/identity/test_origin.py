"""Cookie-authenticated requests that change state must come from this server's own pages;
credentials never travel in URLs."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from jarvis import hookimpl
from jarvis.testing.clients import PASSWORD, api_key_for, create_user, start_client
from jarvis.web import Access, Routes, current_user


async def raw_post(client, path, headers=None, **kwargs):
    """A POST without the helper's automatic Origin header."""
    return await client.session.post(client.make_url(path), headers=headers or {}, **kwargs)


async def test_cross_origin_cookie_post_is_refused(user_client):
    body = {"name": "k"}
    resp = await raw_post(
        user_client, "/api/my/api-keys", {"Origin": "https://evil.example"}, json=body
    )
    assert resp.status == 403
    assert (await resp.json())["error"] == "cross-origin request refused"
    resp = await raw_post(user_client, "/api/my/api-keys", {}, json=body)  # no Origin at all
    assert resp.status == 403
    resp = await raw_post(user_client, "/api/my/api-keys", {"Origin": "null"}, json=body)
    assert resp.status == 403
    other_port = user_client.origin.rsplit(":", 1)[0] + ":1"
    resp = await raw_post(user_client, "/api/my/api-keys", {"Origin": other_port}, json=body)
    assert resp.status == 403
    assert await (await user_client.get("/api/my/api-keys")).json() == []


async def test_same_origin_cookie_post_is_accepted(user_client):
    await user_client.reauth()
    resp = await raw_post(
        user_client, "/api/my/api-keys", {"Origin": user_client.origin}, json={"name": "a"}
    )
    assert resp.status == 201
    resp = await raw_post(
        user_client, "/api/my/api-keys", {"Sec-Fetch-Site": "same-origin"}, json={"name": "b"}
    )
    assert resp.status == 201


async def test_safe_methods_need_no_origin(user_client):
    resp = await user_client.session.get(
        user_client.make_url("/api/auth/me"), headers={"Origin": "https://evil.example"}
    )
    assert resp.status == 200


async def test_api_keys_need_no_origin(anon_client):
    user = await create_user(anon_client, "alice")
    key = await api_key_for(anon_client, user)
    resp = await raw_post(
        anon_client,
        "/api/my/api-keys",
        {"X-API-Key": key, "Origin": "https://evil.example"},
        json={"name": "k", "password": PASSWORD},
    )
    assert resp.status == 201


async def test_cross_site_login_is_refused(anon_client):
    await create_user(anon_client, "alice")
    resp = await raw_post(
        anon_client,
        "/api/auth/login",
        {"Origin": "https://evil.example"},
        json={"username": "alice", "password": PASSWORD},
    )
    assert resp.status == 403
    assert "Set-Cookie" not in resp.headers


class EchoSocket:
    """A WebSocket route declared for users, like the chat socket."""

    @hookimpl
    def register_routes(self, settings):
        routes = Routes("test")

        @routes.get("/ws/test/{session_id}", access=Access.USER, summary="test socket")
        async def socket(request: web.Request) -> web.StreamResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            await ws.send_str(current_user(request).username)
            await ws.close()
            return ws

        return list(routes)


@pytest.fixture
def jarvis_plugins():
    return [EchoSocket()]


async def test_websocket_upgrade_with_a_cookie_needs_our_origin(user_client):
    ws = await user_client.ws_connect("/ws/test/s1")  # the helper sends our Origin
    assert (await ws.receive_str()) == "user"
    await ws.close()
    with pytest.raises(aiohttp.WSServerHandshakeError) as err:
        await user_client.session.ws_connect(
            user_client.make_url("/ws/test/s1"), headers={"Origin": "https://evil.example"}
        )
    assert err.value.status == 403


@pytest.mark.parametrize(
    "param", ["api_key", "token", "password", "access_token", "key", "API_KEY"]
)
async def test_credentials_in_the_query_string_are_refused(make_app, param):
    client = await start_client(make_app())
    try:
        user = await create_user(client, "alice")
        key = await api_key_for(client, user)
        for path in ("/api/auth/me", "/api/setup", "/health"):
            resp = await client.get(f"{path}?{param}={key}")
            assert resp.status == 400
            body = await resp.json()
            assert param in body["error"]
            assert key not in str(body)
    finally:
        await client.close()


async def test_ordinary_query_parameters_pass(user_client):
    resp = await user_client.get("/api/auth/me?page=2&session_id=abc")
    assert resp.status == 200
