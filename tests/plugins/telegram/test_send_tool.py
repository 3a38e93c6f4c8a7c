"""``telegram_send`` and the ``telegram.chat`` policy."""

from __future__ import annotations

from jarvis import PolicyRequest, ToolContext
from jarvis.testing.plugins import contributions, tool_context
from jarvis.testing.scripted import call, reply
from jarvis_telegram.policy import ChatPolicy
from jarvis_telegram.send_tool import SendInput, TelegramSend
from jarvis_telegram.settings import TelegramSettings
from pydantic import ValidationError

from .conftest import (
    CHAT,
    STRANGER,
    TOKEN,
    add_trigger,
    make_agent,
    replies,
    set_token,
    wait_status,
)
from .conftest import whitelist as add_to_whitelist


def context(client, tmp_path) -> ToolContext:
    """A tool context of the client's user."""
    return tool_context(client, client.user, plugin="telegram", user_folder=tmp_path)


async def test_policy_allows_whitelisted_chats_only(admin_client, user_client, tmp_path):
    await add_to_whitelist(admin_client, CHAT, "Alice", user_client)
    policy, ctx = ChatPolicy(), context(user_client, tmp_path)
    assert (await policy.check(PolicyRequest("telegram.chat", CHAT), ctx)).verdict == "allow"
    assert (await policy.check(PolicyRequest("telegram.chat", str(CHAT)), ctx)).verdict == "allow"
    denied = await policy.check(PolicyRequest("telegram.chat", STRANGER), ctx)
    assert denied.verdict == "deny"
    assert denied.reason.startswith(f"chat {STRANGER} is not on the Telegram whitelist")
    assert (await policy.check(PolicyRequest("telegram.chat", "x"), ctx)).verdict == "deny"


async def test_tool_is_registered_as_a_confirmed_side_effect(app):
    tool = contributions(app).tools["telegram_send"]
    args = SendInput(chat_id="-100123", text="hi")
    assert (tool.group, tool.side_effect, tool.requires_confirmation(args)) == (
        "telegram", True, True)
    assert tool.policy_requests(args) == [PolicyRequest("telegram.chat", -100123, "telegram_send")]
    assert tool.input_schema()["properties"]["chat_id"]["type"] == "integer"
    for bad in ({"chat_id": "abc", "text": "hi"}, {"chat_id": 1, "text": ""},
                {"chat_id": True, "text": "hi"}):
        try:
            SendInput.model_validate(bad)
        except ValidationError:
            continue
        raise AssertionError(f"accepted {bad}")


async def test_tool_refuses_a_chat_outside_the_whitelist(admin_client, user_client, fake, tmp_path):
    await set_token(admin_client, TOKEN)
    tool = TelegramSend(TelegramSettings(api_base_url=fake.base_url))
    result = await tool.run(SendInput(chat_id=STRANGER, text="hello"),
                            context(user_client, tmp_path))
    assert result.ok is False
    assert result.error == f"chat {STRANGER} is not on the Telegram whitelist for you"
    assert fake.outbox == []


async def test_tool_sends_long_text_to_a_whitelisted_chat(admin_client, user_client, fake,
                                                          tmp_path):
    await set_token(admin_client, TOKEN)
    await add_to_whitelist(admin_client, CHAT, "Alice", user_client)
    tool = TelegramSend(TelegramSettings(api_base_url=fake.base_url))
    text = "line\n" * 1000  # 5000 characters: two messages
    result = await tool.run(SendInput(chat_id=CHAT, text=text), context(user_client, tmp_path))
    assert result.ok, result.error
    assert result.content == f"Sent 2 messages to Telegram chat {CHAT} (Alice)."
    assert "".join(m.text + "\n" for m in fake.outbox) == text
    assert all(m.chat_id == CHAT and "parse_mode" not in m.params for m in fake.outbox)


async def test_tool_without_a_token_says_so(admin_client, user_client, fake, tmp_path):
    await add_to_whitelist(admin_client, CHAT, "", user_client)
    tool = TelegramSend(TelegramSettings(api_base_url=fake.base_url))
    result = await tool.run(SendInput(chat_id=CHAT, text="hi"), context(user_client, tmp_path))
    assert (result.ok, result.error) == (False, "the Telegram bot is not configured (no bot token)")


async def test_tool_gives_up_on_a_long_rate_limit(admin_client, user_client, fake, tmp_path):
    await set_token(admin_client, TOKEN)
    await add_to_whitelist(admin_client, CHAT, "", user_client)
    fake.rate_limit("sendMessage", retry_after=600)
    tool = TelegramSend(TelegramSettings(api_base_url=fake.base_url, max_retry_after=30))
    result = await tool.run(SendInput(chat_id=CHAT, text="hi"), context(user_client, tmp_path))
    assert (result.ok, result.error) == (False, "Telegram asks to wait 600 s before sending more")


async def test_agent_run_sends_only_to_whitelisted_chats(admin_client, user_client, fake, model):
    """A trigger run whose agent may use the telegram tools: the policy decides per chat."""
    agent = await make_agent(user_client, allowed_tools=["telegram"])
    await add_trigger(user_client, "relay", agent["id"])
    await add_to_whitelist(admin_client, CHAT, "Alice", user_client)
    await set_token(admin_client, TOKEN)
    await wait_status(admin_client, "running")
    model.script(
        reply("", call("telegram_send", {"chat_id": STRANGER, "text": "psst"})),
        reply("", call("telegram_send", {"chat_id": CHAT, "text": "Relayed note"})),
        reply("Done."),
    )
    fake.add_message(CHAT, "relay this please")
    sent = await replies(fake, 2)
    assert [(m.chat_id, m.text) for m in sent] == [(CHAT, "Relayed note"), (CHAT, "Done.")]
    denied = " ".join(str(b) for b in model.requests[1].messages[-1].content)
    assert f"chat {STRANGER} is not on the Telegram whitelist" in denied
