"""python-telegram-bot talks to FakeTelegram exactly as it would to the Bot API."""

import asyncio

import aiohttp
import pytest
from jarvis.testing.fake_telegram import DEFAULT_TOKEN, FakeTelegram
from jarvis.testing.telegram_markup import MarkupError, visible_text
from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import Application, ContextTypes, MessageHandler, filters


@pytest.fixture
async def fake():
    async with FakeTelegram(max_poll_wait=0.2) as server:
        yield server


@pytest.fixture
async def bot(fake):
    async with Bot(fake.token, base_url=fake.base_url) as client:
        yield client


async def api(fake, method, token=None, **params):
    """Call the fake like a bare HTTP client, returning (status, body)."""
    async with aiohttp.ClientSession() as session, session.post(
        f"{fake.base_url}{token or fake.token}/{method}", json=params
    ) as response:
        return response.status, await response.json()


async def test_long_polling_bot_answers_a_user_message(fake):
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, f"echo: {update.message.text}")

    application = Application.builder().token(fake.token).base_url(fake.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=5)
        fake.add_message(555, "hello bot", from_user={"first_name": "Bob"})
        sent = await fake.wait_for_outbox(1, timeout=10)
        await application.updater.stop()
        await application.stop()

    assert [(m.chat_id, m.text) for m in sent] == [(555, "echo: hello bot")]
    assert sent[0].message["from"]["username"] == fake.bot_username
    methods = [call.method for call in fake.calls]
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= set(methods)
    # The reply was answered, so the update was confirmed by the next offset.
    assert fake.updates == []


async def test_received_message_looks_like_a_real_one(fake, bot):
    fake.add_message(-100200, "hi all", chat_type="supergroup", from_user={"id": 7})
    updates = await bot.get_updates(timeout=1)
    message = updates[0].message
    assert (message.text, message.chat.type, message.chat.id) == ("hi all", "supergroup", -100200)
    assert message.from_user.id == 7 and message.message_id > 0
    assert message.date.tzinfo is not None


async def test_wrong_token_is_invalid(fake):
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        fake.set_token("42:another-secret")
        with pytest.raises(InvalidToken):
            await bot.get_me()
    status, body = await api(fake, "getMe", token="1:old")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, body = await api(fake, "getMe", token="not-a-token")
    assert status == 404 and body["description"] == "Not Found"


async def test_rate_limit_gives_retry_after_then_recovers(fake, bot):
    fake.rate_limit("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(1, "first try")
    assert str(raised.value) == "Flood control exceeded. Retry in 7 seconds"
    await bot.send_message(1, "second try")
    assert [m.text for m in fake.outbox] == ["second try"]
    assert [c.status for c in fake.calls_of("sendMessage")] == [429, 200]


async def test_rate_limit_body_matches_the_bot_api(fake):
    fake.rate_limit("getMe", retry_after=3, times=2)
    for _ in range(2):
        assert await api(fake, "getMe") == (429, {
            "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3}})
    status, body = await api(fake, "getMe")
    assert status == 200 and body["result"]["id"] == int(DEFAULT_TOKEN.split(":")[0])


async def test_send_message_is_validated(fake, bot):
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(1, "x" * 4097)
    await bot.send_message(1, "x" * 4096)
    assert await api(fake, "sendMessage", chat_id=1) == (
        400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})
    status, body = await api(fake, "sendMessage", text="hi")
    assert body["description"] == "Bad Request: chat_id is empty"
    assert len(fake.outbox) == 1


async def test_registered_chats_make_unknown_chats_fail(fake, bot):
    fake.add_chat(10, username="alice")
    await bot.send_message(10, "to alice")
    await bot.send_message("@alice", "by username")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(11, "to nobody")
    assert [m.chat_id for m in fake.outbox] == [10, "@alice"]


async def test_formatting_errors_match_telegram(fake, bot):
    sent = await bot.send_message(1, "<b>bold</b> &amp; plain", parse_mode="HTML")
    assert sent.text == "bold & plain"
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(1, "1 < 2 <b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(1, "Done.", parse_mode="MarkdownV2")
    sent = await bot.send_message(1, "*Done*\\.", parse_mode="MarkdownV2")
    assert sent.text == "Done."


async def test_scripted_errors_map_to_library_exceptions(fake, bot):
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden, match="bot was blocked"):
        await bot.send_message(1, "hello?")
    assert fake.outbox == []


async def test_offset_confirms_and_limit_caps(fake, bot):
    ids = [fake.add_message(1, f"m{n}")["update_id"] for n in range(3)]
    first = await bot.get_updates(limit=2)
    assert [u.update_id for u in first] == ids[:2]
    rest = await bot.get_updates(offset=ids[1] + 1)
    assert [u.message.text for u in rest] == ["m2"]
    # Confirmed updates are gone for good, like on Telegram.
    assert [u.update_id for u in await bot.get_updates()] == ids[2:]


async def test_long_poll_returns_as_soon_as_an_update_arrives():
    async with FakeTelegram(max_poll_wait=30) as fake, Bot(
        fake.token, base_url=fake.base_url
    ) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
        await asyncio.sleep(0.05)
        assert not poll.done()
        fake.add_message(3, "wake up")
        updates = await asyncio.wait_for(poll, 5)
    assert [u.message.text for u in updates] == ["wake up"]


async def test_empty_long_poll_ends_empty(fake, bot):
    assert await bot.get_updates(timeout=10) == ()


async def test_second_poller_ends_the_first_with_conflict():
    async with FakeTelegram(max_poll_wait=30) as fake, Bot(
        fake.token, base_url=fake.base_url
    ) as bot, Bot(fake.token, base_url=fake.base_url) as other_instance:
        first = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(other_instance.get_updates(timeout=0))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(first, 5)
        assert await second == ()


async def test_allowed_updates_filter_other_kinds(fake, bot):
    fake.add_update({"edited_message": {
        "message_id": 9, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "edited"}})
    fake.add_message(1, "new")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates] == ["new"]


async def test_chat_action_and_commands(fake, bot):
    assert await bot.send_chat_action(1, "typing") is True
    status, body = await api(fake, "sendChatAction", chat_id=1, action="dancing")
    assert (status, body["description"]) == (
        400, "Bad Request: wrong parameter action in request")
    await bot.set_my_commands([("help", "Show help")])
    assert fake.commands == [{"command": "help", "description": "Show help"}]


async def test_unknown_method_is_not_found(fake):
    assert await api(fake, "sendTelepathy") == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_outage_and_recovery_on_the_same_address(fake, bot):
    await fake.close()
    with pytest.raises(NetworkError):
        await bot.get_me()
    await fake.start()
    assert (await bot.get_me()).username == fake.bot_username


@pytest.mark.parametrize(("text", "mode", "shown"), [
    ("plain *text*", None, "plain *text*"),
    ('<a href="https://example.org">docs</a> &amp; <code>x</code>', "HTML", "docs & x"),
    ("*Done*\\. See [docs](https://example.org/a\\.b) and `a.b`", "MarkdownV2",
     "Done. See docs and a.b"),
    ("> quoted", "MarkdownV2", " quoted"),
])
def test_visible_text_follows_telegram_formatting(text, mode, shown):
    assert visible_text(text, mode) == shown


@pytest.mark.parametrize(("text", "mode"), [
    ("<div>x</div>", "HTML"), ("<i>x</b>", "HTML"), ("<b>x", "HTML"), ("a < b", "HTML"),
    ("1+1=2", "MarkdownV2"), ("x", "BBCode"),
])
def test_malformed_formatting_is_refused(text, mode):
    with pytest.raises(MarkupError):
        visible_text(text, mode)
