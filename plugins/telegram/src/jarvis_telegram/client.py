"""python-telegram-bot plumbing: opening a bot, sending answers, Telegram's wait times."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import TYPE_CHECKING

from .text import split_message

if TYPE_CHECKING:  # python-telegram-bot is imported when a bot is first opened
    from telegram import Bot
    from telegram.error import RetryAfter

Sleep = Callable[[float], Awaitable[object]]
SEND_ATTEMPTS = 4
_TOKEN_IN_URL = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")


@asynccontextmanager
async def open_bot(token: str, base_url: str) -> AsyncIterator[Bot]:
    """A Bot for ``token`` whose HTTP clients are closed on exit, whatever happened."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    request = HTTPXRequest(connection_pool_size=8)
    polling = HTTPXRequest(connection_pool_size=1)
    bot = Bot(token, base_url=base_url, request=request, get_updates_request=polling)
    try:
        yield bot
    finally:
        # Bot.shutdown() skips the clients when getMe never succeeded, so close them here.
        for client in (request, polling):
            with suppress(Exception):
                await client.shutdown()


def retry_seconds(err: RetryAfter) -> float:
    """How long Telegram asked us to wait."""
    from telegram.warnings import PTBDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # int today, timedelta later
        value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def send_text(bot: Bot, chat_id: int, text: str, sleep: Sleep,
                    max_wait: float = float("inf")) -> int:
    """Send ``text`` as plain text (no parse_mode: model output cannot break formatting), cut
    at Telegram's size limit; wait out rate limits. Returns the number of messages sent."""
    from telegram.error import RetryAfter

    sent = 0
    for part in split_message(text):
        for attempt in range(SEND_ATTEMPTS):
            try:
                await bot.send_message(chat_id, part)
            except RetryAfter as err:
                wait = retry_seconds(err)
                if attempt == SEND_ATTEMPTS - 1 or wait > max_wait:
                    raise
                await sleep(wait)
            else:
                sent += 1
                break
    return sent


def redact(text: str, token: str | None = None) -> str:
    """``text`` without the bot token (error messages and logged URLs may carry it)."""
    if token:
        text = text.replace(token, "<token>")
    return _TOKEN_IN_URL.sub("/bot<token>", text)


class RedactBotToken(logging.Filter):
    """Removes bot tokens from log records: the Bot API has the token in every URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_redaction() -> None:
    """Attach the filter to the loggers that print request URLs (once)."""
    for name in ("httpx", "httpcore", "telegram", "telegram.Bot", "telegram.request"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactBotToken) for f in logger.filters):
            logger.addFilter(RedactBotToken())
