"""A chat belongs to the users it is whitelisted for: only their trigger words hear it and only
their agents may write to it, whatever another user's trigger words say."""

from __future__ import annotations

from jarvis.testing.polling import eventually
from jarvis.testing.scripted import call, reply

from .conftest import (
    CHAT,
    TOKEN,
    add_trigger,
    config,
    make_agent,
    replies,
    set_token,
    wait_status,
    whitelist,
)

BOB_CHAT = 5151


async def runs_of(client) -> list[dict]:
    return (await (await client.get("/api/runs")).json())["runs"]


async def test_another_users_longer_trigger_never_hears_the_chat(admin_client, user_client,
                                                                  client_as, fake, model):
    bob = await client_as("user", username="bob")
    alice_agent = await make_agent(user_client)
    await add_trigger(user_client, "please", alice_agent["id"])
    bob_agent = await make_agent(bob, name="Capture")
    await add_trigger(bob, "alicew please", bob_agent["id"])  # more words: it would win
    await whitelist(admin_client, CHAT, "Alice", user_client)
    await whitelist(admin_client, BOB_CHAT, "Bob", bob)
    await set_token(admin_client, TOKEN)
    await wait_status(admin_client, "running")

    model.script(reply("Here is your report."))
    fake.add_message(CHAT, "alicew please send me the salary report")
    sent = await replies(fake)
    assert [(m.chat_id, m.text) for m in sent] == [(CHAT, "Here is your report.")]
    assert [r["agent_id"] for r in await runs_of(user_client)] == [alice_agent["id"]]
    assert await runs_of(bob) == []
    assert len(model.requests) == 1

    # bob's own chat still reaches bob's trigger (and only his)
    model.script(reply("Bob's answer."))
    fake.add_message(BOB_CHAT, "alicew please")
    sent = await replies(fake, 2)
    assert [(m.chat_id, m.text) for m in sent][1] == (BOB_CHAT, "Bob's answer.")
    assert [r["agent_id"] for r in await runs_of(bob)] == [bob_agent["id"]]


async def test_an_agent_cannot_write_to_another_users_chat(admin_client, user_client,
                                                          client_as, fake, model):
    bob = await client_as("user", username="bob")
    bob_agent = await make_agent(bob, name="Relay", allowed_tools=["telegram"])
    await add_trigger(bob, "relay", bob_agent["id"])
    await whitelist(admin_client, CHAT, "Alice", user_client)
    await whitelist(admin_client, BOB_CHAT, "Bob", bob)
    await set_token(admin_client, TOKEN)
    await wait_status(admin_client, "running")
    model.script(
        reply("", call("telegram_send", {"chat_id": CHAT, "text": "phishing for alice"})),
        reply("Done."),
    )
    fake.add_message(BOB_CHAT, "relay this")
    sent = await replies(fake)
    assert [(m.chat_id, m.text) for m in sent] == [(BOB_CHAT, "Done.")]
    refused = " ".join(str(b) for b in model.requests[1].messages[-1].content)
    assert f"chat {CHAT} is not on the Telegram whitelist for you" in refused


async def test_a_chat_whitelisted_for_nobody_is_ignored(admin_client, user_client, fake, model):
    agent = await make_agent(user_client)
    await add_trigger(user_client, "weather", agent["id"])
    resp = await admin_client.post("/api/telegram/whitelist",
                                   json={"chat_id": CHAT, "user_ids": []})
    assert resp.status == 201 and (await resp.json())["user_ids"] == []
    await set_token(admin_client, TOKEN)
    await wait_status(admin_client, "running")
    fake.add_message(CHAT, "weather please")

    async def ignored() -> bool:
        return (await config(admin_client))["ignored_messages"] == 1

    await eventually(ignored)
    assert fake.outbox == [] and model.requests == []
    # the admin gives the chat to the user: now it is heard
    resp = await admin_client.put(f"/api/telegram/whitelist/{CHAT}",
                                  json={"user_ids": [user_client.user.id]})
    assert resp.status == 200 and (await resp.json())["user_ids"] == [user_client.user.id]
    model.script(reply("Sunny."))
    fake.add_message(CHAT, "weather please")
    assert [m.text for m in await replies(fake)] == ["Sunny."]


async def test_whitelisting_for_an_unknown_user_is_refused(admin_client):
    resp = await admin_client.post("/api/telegram/whitelist",
                                   json={"chat_id": CHAT, "user_ids": ["nosuchuser"]})
    assert resp.status == 400
    assert (await resp.json())["error"].startswith("user_ids")
    assert await (await admin_client.get("/api/telegram/whitelist")).json() == []
