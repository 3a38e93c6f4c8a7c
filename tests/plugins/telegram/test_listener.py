"""The bot end to end: fake Bot API -> listener -> runtime (scripted model) -> reply."""

from __future__ import annotations

from jarvis.testing.polling import eventually
from jarvis.testing.scripted import reply

from .conftest import (
    CHAT,
    NEW_TOKEN,
    STRANGER,
    TOKEN,
    add_trigger,
    config,
    make_agent,
    replies,
    set_token,
    wait_status,
    whitelist,
)


async def start_bot(admin_client, user_client, trigger_word: str = "weather") -> dict:
    """Token set, CHAT whitelisted, the user's agent behind ``trigger_word``; bot running."""
    agent = await make_agent(user_client)
    await add_trigger(user_client, trigger_word, agent["id"])
    await whitelist(admin_client, CHAT, "Alice", user_client)
    await set_token(admin_client, TOKEN)
    await wait_status(admin_client, "running")
    return agent


async def test_trigger_message_gets_the_agents_answer(admin_client, user_client, fake, model):
    agent = await start_bot(admin_client, user_client, "weather today")
    model.script(reply("Sunny, 21 degrees."))
    fake.add_message(CHAT, "What's the WEATHER like today?")
    sent = await replies(fake)
    assert [(m.chat_id, m.text) for m in sent] == [(CHAT, "Sunny, 21 degrees.")]
    assert "parse_mode" not in sent[0].params

    request = model.requests[0]
    prompt = " ".join(b.text for m in request.messages for b in m.content if hasattr(b, "text"))
    assert "What's the WEATHER like today?" in prompt
    assert "untrusted" in prompt  # the message is fenced as outside data
    assert "Answer weather questions." in prompt + request.system

    runs = await (await user_client.get("/api/runs")).json()
    assert [(r["kind"], r["agent_id"]) for r in runs["runs"]] == [("trigger", agent["id"])]


async def test_only_whitelisted_chats_with_a_trigger_word_are_answered(
        admin_client, user_client, fake, model):
    await start_bot(admin_client, user_client)
    fake.add_message(STRANGER, "weather please")  # not whitelisted
    fake.add_message(CHAT, "hello there")  # whitelisted, no trigger word
    model.script(reply("Rain."))
    fake.add_message(CHAT, "weather please")
    sent = await replies(fake)
    assert [(m.chat_id, m.text) for m in sent] == [(CHAT, "Rain.")]
    assert len(model.requests) == 1
    assert (await config(admin_client))["ignored_messages"] == 1


async def test_disabled_trigger_does_not_fire(admin_client, user_client, fake, model):
    agent = await make_agent(user_client)
    off = await add_trigger(user_client, "news", agent["id"], enabled=False)
    await start_bot(admin_client, user_client, "weather")
    assert off["enabled"] is False
    model.script(reply("Weather answer."))
    fake.add_message(CHAT, "news please")
    fake.add_message(CHAT, "weather please")
    sent = await replies(fake)
    assert [m.text for m in sent] == ["Weather answer."]
    assert len(model.requests) == 1


async def test_long_answer_is_split_at_paragraphs(admin_client, user_client, fake, model):
    await start_bot(admin_client, user_client)
    first, second = "A" * 3000, "B " * 1500
    model.script(reply(f"{first}\n\n{second.strip()}"))
    fake.add_message(CHAT, "weather")
    sent = await replies(fake, 2)
    assert [m.text for m in sent] == [first, second.strip()]
    assert all(len(m.text) <= 4096 for m in sent)


async def test_token_change_restarts_the_listener(admin_client, user_client, fake, model):
    await start_bot(admin_client, user_client)
    fake.set_token(NEW_TOKEN)  # the old token is now refused
    failed = await wait_status(admin_client, "error")
    assert failed["error"] == "Telegram rejected the bot token"
    assert failed["bot_token_set"] is True

    await set_token(admin_client, NEW_TOKEN)
    await wait_status(admin_client, "running")
    model.script(reply("New bot here."))
    fake.add_message(CHAT, "weather")
    assert [m.text for m in await replies(fake)] == ["New bot here."]
    # One refusal, then nothing until the token changed: no retry loop on a rejected token.
    assert [c.method for c in fake.calls if c.status == 401] == ["getUpdates"]


async def test_removing_the_token_stops_polling(admin_client, user_client, fake):
    await start_bot(admin_client, user_client)
    await set_token(admin_client, None)
    await wait_status(admin_client, "stopped")
    polls = len(fake.calls_of("getUpdates"))
    await set_token(admin_client, None)  # an idle listener stays idle
    fake.add_message(CHAT, "weather")
    assert (await config(admin_client))["status"] == "stopped"
    assert len(fake.calls_of("getUpdates")) <= polls + 1  # at most the poll cut short


async def test_rate_limited_poll_waits_retry_after(admin_client, user_client, fake, waits, model):
    fake.rate_limit("getUpdates", retry_after=7)
    await start_bot(admin_client, user_client)
    model.script(reply("Still here."))
    fake.add_message(CHAT, "weather")
    assert [m.text for m in await replies(fake)] == ["Still here."]
    statuses = [c.status for c in fake.calls_of("getUpdates")]
    assert statuses[:2] == [429, 200]
    assert waits[0] == 7


async def test_network_outage_backs_off_then_recovers(admin_client, user_client, fake, waits,
                                                      model):
    await start_bot(admin_client, user_client)
    await fake.close()
    down = await wait_status(admin_client, "error")
    assert down["error"].startswith("cannot reach Telegram")
    await eventually(lambda: len(waits) >= 3)
    assert waits[:3] == [1, 2, 4]  # each failure in a row waits longer
    await fake.start()
    await wait_status(admin_client, "running")
    model.script(reply("Back."))
    fake.add_message(CHAT, "weather")
    assert [m.text for m in await replies(fake)] == ["Back."]


async def test_failed_run_gets_a_short_notice(admin_client, user_client, fake, model):
    agent = await start_bot(admin_client, user_client)
    assert (await user_client.delete(f"/api/agents/{agent['id']}")).status == 200
    other = await make_agent(user_client, model="fake:missing")
    await add_trigger(user_client, "weather", other["id"])
    fake.add_message(CHAT, "weather")
    sent = await replies(fake)
    assert [m.text for m in sent] == ["Sorry, something went wrong while answering this message."]
