"""One polling session with one bot token: getUpdates in a loop, answers in tasks."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from jarvis import Emitter, TriggerRun
from telegram import Bot, Message, Update
from telegram.constants import ChatAction
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError

from .client import open_bot, redact, retry_seconds, send_text
from .text import best_match
from .trigger_store import TriggerRow, enabled_triggers
from .whitelist import chat_users, may_write

if TYPE_CHECKING:
    from .listener import TelegramListener

log = logging.getLogger("jarvis.telegram")

REJECTED = "Telegram rejected the bot token"
FAILED_ANSWER = "Sorry, something went wrong while answering this message."
NOTICES = {
    "limited": "I have reached my limit of runs for now; please try again later.",
    "stopped": "The run was stopped before it finished.",
    "done": "The agent finished without an answer.",
}


class PollingSession:
    """Polls until cancelled; returns (without retrying) when Telegram rejects the token."""

    def __init__(self, listener: TelegramListener, emit: Emitter, token: str):
        self.listener = listener
        self.settings = listener.settings
        self.emit = emit
        self.token = token
        self.offset: int | None = None
        self.failures = 0
        self.username: str | None = None
        self.answers: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        async with open_bot(self.token, self.settings.api_base_url) as bot:
            try:
                await self._poll(bot)
            finally:
                for task in self.answers:
                    task.cancel()
                await asyncio.gather(*self.answers, return_exceptions=True)

    async def _poll(self, bot: Bot) -> None:
        connected = False
        while True:
            try:
                if not connected:
                    me = await bot.get_me()
                    await bot.delete_webhook()  # getUpdates answers 409 while a webhook is set
                    connected, self.username = True, me.username
                    self.listener.running(self.username)
                updates = await bot.get_updates(
                    offset=self.offset, timeout=self.settings.poll_timeout,
                    allowed_updates=["message"])
            except InvalidToken:
                self.listener.report("error", REJECTED)
                return  # no point retrying the same token: wait for a new one
            except RetryAfter as err:
                await self.listener.sleep(retry_seconds(err))
                continue
            except Conflict:
                await self._back_off("another program is polling this bot's updates")
                continue
            except NetworkError as err:
                await self._back_off(f"cannot reach Telegram: {redact(str(err), self.token)}")
                continue
            except TelegramError as err:
                await self._back_off(f"Telegram error: {redact(str(err), self.token)}")
                continue
            if self.failures:
                self.failures = 0
                self.listener.running(self.username)
            for update in updates:
                self.offset = update.update_id + 1
                await self._dispatch(bot, update)

    async def _back_off(self, error: str) -> None:
        """Report the error and wait longer after each failure in a row."""
        self.failures += 1
        delay = min(2.0 ** (self.failures - 1), self.settings.max_backoff)
        self.listener.report("error", f"{error}; retrying", supervisor_state="retrying")
        await self.listener.sleep(delay)

    async def _dispatch(self, bot: Bot, update: Update) -> None:
        """Ignore chats off the whitelist; start an answer for a message matching a trigger of
        a user the chat belongs to (nobody else's triggers ever see it)."""
        message = update.message
        if message is None or not message.text:
            return
        try:
            db = self.emit.context.db
            owners = await chat_users(db, message.chat.id)
            if not owners:
                self.listener.state.ignored_messages += 1
                return
            trigger = best_match(message.text, await enabled_triggers(db, owners))
        except Exception:  # a database hiccup loses this message, not the listener
            log.exception("telegram: could not handle a message from chat %s", message.chat.id)
            return
        if trigger is not None:
            task = asyncio.create_task(self._answer(bot, message, trigger))
            self.answers.add(task)
            task.add_done_callback(self.answers.discard)

    async def _answer(self, bot: Bot, message: Message, trigger: TriggerRow) -> None:
        """Run the trigger's agent as its owner and reply in the same chat (while the owner
        may still write there)."""
        chat_id = message.chat.id
        db = self.emit.context.db
        with suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        try:
            outcome = await self.emit(TriggerRun(
                user_id=trigger.user_id, message=describe(message), agent_id=trigger.agent_id))
            text = answer_text(outcome)
        except Exception:
            log.exception("telegram: the run for trigger %s failed to start", trigger.id)
            text = FAILED_ANSWER
        try:
            allowed = await may_write(db, chat_id, trigger.user_id)
        except Exception:  # a database hiccup loses this reply, not the listener
            log.exception("telegram: could not check chat %s before replying", chat_id)
            return
        if not allowed:
            log.warning("telegram: chat %s is no longer whitelisted for the owner of trigger "
                        "%s; no reply", chat_id, trigger.id)
            return
        try:
            await send_text(bot, chat_id, text, self.listener.sleep)
        except TelegramError as err:
            log.warning("telegram: could not reply in chat %s: %s", chat_id,
                        redact(str(err), self.token))


def describe(message: Message) -> str:
    """The run's input: who wrote what, where (all of it untrusted)."""
    sender = message.from_user
    who = "someone"
    if sender is not None:
        who = sender.full_name + (f" (@{sender.username})" if sender.username else "")
    chat = message.chat
    where = f"chat {chat.id}" + (f" ({chat.title})" if chat.title else "")
    return f"Telegram message from {who} in {where}:\n{message.text}"


def answer_text(outcome: Any) -> str:
    """What to send back: the answer, or a short notice when there is none."""
    text = (getattr(outcome, "text", "") or "").strip()
    status = getattr(outcome, "status", "failed")
    if text and status in ("done", "limited"):
        return text
    return NOTICES.get(status, FAILED_ANSWER)
