"""An open chat socket ends with its login: after logout, a password change, disabling the user
or deleting the API key, the next frame (or the periodic check) gets ``error`` and close 4401,
and the socket can no longer start a run."""

from __future__ import annotations

import asyncio

import pytest
from jarvis.keys import CHAT_HUB
from jarvis.testing.chat import Chat, open_chat
from jarvis.testing.clients import PASSWORD, api_key_for
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import hang, reply

from tests.support.chats import held_run
from tests.support.tools import answering_tool

ENDED = "session ended: log in again"


@pytest.fixture
def tools(tools):
    restart = answering_tool("restart_server", "admin", "Restart the server.", "restarted",
                             admin_only=True)  # offered to admins only
    return {**tools, "restart_server": restart}


async def socket_with_key(client, key: str) -> Chat:
    """A chat socket authenticated by an API key (no cookie)."""
    anon = await client.spawn()
    chat = Chat(await anon.ws_connect("/ws/s1", headers={"X-API-Key": key}))
    await chat.recv()
    await chat.recv()
    return chat


async def assert_ended(chat: Chat) -> None:
    frames, code = await chat.until_closed()
    assert code == 4401
    assert [f["type"] for f in frames] == ["error"]
    assert frames[0]["error"] == ENDED


async def assert_no_run(admin_client, user) -> None:
    """Once the server let go of the user's sockets, the user has no run at all."""
    hub = admin_client.app[CHAT_HUB]
    await eventually(lambda: not any(s.sockets for (uid, _), s in hub.sessions.items()
                                   if uid == user.id))
    runs = await (await admin_client.get(f"/api/runs?user_id={user.id}")).json()
    assert runs["total"] == 0


async def ended(runtime, run_id: str) -> str:
    async with asyncio.timeout(10):
        return (await runtime.wait(run_id)).status


FRAMES = [
    {"type": "message", "content": "hello"},
    {"type": "confirm", "call_id": "c1", "approved": True},
    {"type": "stop"},
    {"type": "clear"},
    {"type": "ping"},
]


@pytest.mark.parametrize("frame", FRAMES, ids=[f["type"] for f in FRAMES])
async def test_after_logout_the_next_frame_ends_the_socket(user_client, admin_client, model,
                                                           frame):
    chat = await open_chat(user_client)
    await chat.send(type="ping")
    assert (await chat.recv())["type"] == "pong"
    assert (await user_client.post("/api/auth/logout")).status == 200
    await chat.send(**frame)
    await assert_ended(chat)
    await assert_no_run(admin_client, user_client.user)
    assert model.requests == []


async def test_disabling_the_user_ends_the_socket_before_any_run(user_client, admin_client,
                                                                  model):
    chat = await open_chat(user_client)
    resp = await admin_client.put(f"/api/admin/users/{user_client.user.id}",
                                  json={"is_active": False})
    assert resp.status == 200
    await chat.send(type="message", content="still there?")
    await assert_ended(chat)
    await assert_no_run(admin_client, user_client.user)
    assert model.requests == []


async def test_deleting_the_api_key_ends_its_socket(user_client, admin_client, model):
    key = await api_key_for(user_client, user_client.user)
    chat = await socket_with_key(user_client, key)
    await chat.send(type="message", content="first")
    assert (await chat.until("done"))[-1]["status"] == "done"
    [listed] = await (await user_client.get("/api/my/api-keys")).json()
    assert (await user_client.delete(f"/api/my/api-keys/{listed['id']}")).status == 200
    await chat.send(type="message", content="second")
    await assert_ended(chat)
    hub = admin_client.app[CHAT_HUB]
    await eventually(lambda: not hub.sessions[(user_client.user.id, "s1")].sockets)
    runs = await (await admin_client.get(f"/api/runs?user_id={user_client.user.id}")).json()
    assert runs["total"] == 1  # the first message's
    assert len(model.requests) == 1


async def test_a_password_change_ends_the_other_sessions_sockets(client_as, user_client):
    other = await client_as(user_client.user)  # the same user logged in elsewhere
    mine, theirs = await open_chat(user_client, "s1"), await open_chat(other, "s2")
    resp = await user_client.post("/api/my/password", json={
        "current_password": PASSWORD, "new_password": "another long passphrase 42"})
    assert resp.status == 200
    await theirs.send(type="ping")
    await assert_ended(theirs)
    await mine.send(type="ping")  # the session that changed it stays
    assert (await mine.recv())["type"] == "pong"


async def test_an_idle_socket_is_ended_by_the_periodic_check(user_client, admin_client):
    user_client.app[CHAT_HUB].recheck_seconds = 0.02
    chat = await open_chat(user_client)
    resp = await admin_client.put(f"/api/admin/users/{user_client.user.id}",
                                  json={"is_active": False})
    assert resp.status == 200
    await assert_ended(chat)  # without sending anything


async def test_logout_ends_the_socket_but_not_its_run(user_client, model, runtime):
    chat, release = await held_run(user_client, model, reply("finished anyway"), "take your time")
    run_id = await eventually(lambda: next(iter(runtime.active), None))
    assert (await user_client.post("/api/auth/logout")).status == 200
    await chat.send(type="stop")  # refused: the socket's login has ended
    await assert_ended(chat)
    release.set()
    assert await ended(runtime, run_id) == "done"
    assert (await runtime.wait(run_id)).text == "finished anyway"


async def test_disabling_the_user_stops_their_run(user_client, admin_client, model, runtime):
    model.script(hang())
    chat = await open_chat(user_client)
    await chat.send(type="message", content="take your time")
    await model.wait_for(1)
    run_id = await eventually(lambda: next(iter(runtime.active), None))
    resp = await admin_client.put(f"/api/admin/users/{user_client.user.id}",
                                  json={"is_active": False})
    assert resp.status == 200
    assert await ended(runtime, run_id) == "stopped"
    await chat.send(type="ping")
    frames, code = await chat.until_closed()
    assert code == 4401
    assert frames[-1]["error"] == ENDED


async def test_a_new_role_applies_to_the_next_run_of_an_open_socket(client_as, admin_client,
                                                                    model):
    ops = await client_as("admin", username="ops")
    chat = await open_chat(ops)
    await chat.say("first")
    assert "restart_server" in [t.name for t in model.requests[-1].tools]
    resp = await admin_client.put(f"/api/admin/users/{ops.user.id}", json={"role": "user"})
    assert resp.status == 200
    await chat.say("second")  # the socket stays open: the login still holds
    assert "restart_server" not in [t.name for t in model.requests[-1].tools]
