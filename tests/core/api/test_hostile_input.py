"""Deeply nested JSON and NUL characters get the reference's 400 JSON error everywhere (they
used to end in RecursionError or, on PostgreSQL, a database error: a 500), and nothing of such a
request is stored. A chat socket answers them with an ``error`` frame and stays usable."""

from __future__ import annotations

import json

import pytest
from jarvis.jsoninput import MAX_DEPTH
from jarvis.testing.chat import open_chat
from jarvis.testing.clients import PASSWORD, create_user

DEEP = "[" * 100_000 + "]" * 100_000  # past the interpreter's recursion limit
JUST_TOO_DEEP = {"name": "x", "prompt": json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)}


def post_raw(client, path, raw):
    return client.post(path, data=raw, headers={"Content-Type": "application/json"})


async def assert_400(resp, *words):
    assert resp.status == 400, await resp.text()
    assert resp.content_type == "application/json"
    body = await resp.json()
    assert set(body) == {"error", "detail"}
    for word in words:
        assert word in body["error"], body


async def test_deep_json_to_the_anonymous_login_is_a_400(anon_client):
    await assert_400(await post_raw(anon_client, "/api/auth/login", DEEP), "nested")
    await assert_400(
        await post_raw(anon_client, "/api/auth/login", '{"username": ' + DEEP + "}"), "nested"
    )


async def test_deep_json_to_a_user_route_is_a_400_and_stores_nothing(user_client):
    await assert_400(await post_raw(user_client, "/api/agents", DEEP), "nested")
    await assert_400(await user_client.post("/api/agents", json=JUST_TOO_DEEP), "nested")
    assert await (await user_client.get("/api/agents")).json() == []


async def test_nul_in_the_login_user_name_is_a_400(anon_client):
    await create_user(anon_client, "alice")
    resp = await anon_client.post(
        "/api/auth/login", json={"username": "alice\u0000", "password": PASSWORD}
    )
    await assert_400(resp, "username", "NUL")
    ok = await anon_client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert ok.status == 200


async def test_nul_in_a_stored_field_is_a_400_and_nothing_is_written(user_client):
    resp = await user_client.post(
        "/api/agents", json={"name": "mail\u0000digest", "prompt": "Summarise my mail."}
    )
    await assert_400(resp, "name", "NUL")
    resp = await user_client.post(
        "/api/agents", json={"name": "digest", "prompt": "a", "allowed_tools": ["x\u0000"]}
    )
    await assert_400(resp, "allowed_tools[0]", "NUL")
    assert await (await user_client.get("/api/agents")).json() == []


@pytest.mark.parametrize("path", [
    "/api/admin/users/abc%00def",            # a path parameter the route reads itself
    "/api/credentials/system%00key",         # a declared path parameter
    "/api/audit?action=login%00x",           # a query parameter
    "/api/audit?act%00ion=login",            # a query parameter's name
])
async def test_nul_in_the_url_is_a_400(admin_client, path):
    await assert_400(await admin_client.get(path), "NUL")


async def test_a_chat_socket_answers_bad_frames_and_stays_open(user_client):
    chat = await open_chat(user_client)
    await chat.ws.send_str(DEEP)
    frame = await chat.recv()
    assert frame["type"] == "error" and "nested" in frame["error"]
    await chat.send(type="message", content="hello\u0000")
    frame = await chat.recv()
    assert frame["type"] == "error" and "content" in frame["error"] and "NUL" in frame["error"]
    await chat.send(type="ping")
    assert (await chat.recv())["type"] == "pong"
    await chat.close()
