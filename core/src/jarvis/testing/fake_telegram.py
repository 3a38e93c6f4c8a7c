"""A loopback fake of the Telegram Bot API for tests that drive python-telegram-bot."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from .loopback import LoopbackServer
from .telegram_markup import MarkupError, visible_text

DEFAULT_TOKEN = "123456789:AAFakeTokenForLoopbackTests0123456789"  # noqa: S105
MAX_TEXT_LENGTH = 4096
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class TelegramCall:
    """One request the fake received: method name, decoded parameters, HTTP status."""

    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class SentMessage:
    """A message the bot sent, as the test should see it."""

    chat_id: int | str
    text: str
    params: dict[str, Any]
    message: dict[str, Any] = field(repr=False)


def _int_param(params: Mapping[str, Any], name: str, default: int | None = None) -> int | None:
    """An integer parameter as Telegram reads it from a form, JSON body or query string."""
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {name} specified") from None


def _chat_id_param(params: Mapping[str, Any]) -> int | str:
    """The ``chat_id`` parameter: a number, or an ``@username`` for public chats."""
    raw = params.get("chat_id")
    if raw is None or raw == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    if isinstance(raw, int) or re.fullmatch(r"-?\d+", str(raw)):
        return int(raw)
    if not str(raw).startswith("@"):
        raise ApiError(400, "Bad Request: chat not found")
    return str(raw)


class FakeTelegram(LoopbackServer):
    """Serves ``/bot{token}/{method}`` on 127.0.0.1 with the Bot API's answers and errors."""

    runner_options = {"shutdown_timeout": 0.5}

    def __init__(self, token: str = DEFAULT_TOKEN, *, max_poll_wait: float = 1.0,
                 bot_username: str = "jarvis_test_bot", bot_name: str = "Jarvis Test") -> None:
        super().__init__()
        self.token = ""
        self.set_token(token)
        self.max_poll_wait = max_poll_wait
        self.bot_username, self.bot_name = bot_username, bot_name
        self.outbox: list[SentMessage] = []
        self.calls: list[TelegramCall] = []
        self.chats: dict[int | str, dict[str, Any]] = {}
        self.commands: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.strict_chats = False
        self._scripted: dict[str, list[ApiError]] = {}
        self._next_update_id = 100_000
        self._next_message_id = 1
        self._poll_generation = 0
        self._closing = False
        self._wakeup = asyncio.Event()

    @property
    def base_url(self) -> str:
        """What python-telegram-bot's ``ApplicationBuilder.base_url`` needs."""
        return f"{self.url}/bot"

    @property
    def bot_id(self) -> int:
        """The bot's user id, taken from the token like Telegram does."""
        return int(self.token.split(":", 1)[0])

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    async def start(self) -> Self:
        self._closing = False
        return await super().start()

    async def close(self) -> None:
        """Wake pending long polls and stop listening; queued updates and records stay."""
        self._closing = True
        self._notify()
        await super().close()

    def set_token(self, token: str) -> None:
        """Accept only ``token`` from now on (the old one gets 401 Unauthorized)."""
        if not _TOKEN_SHAPE.match(token):
            raise ValueError(f"not a Bot API token (digits, colon, secret): {token!r}")
        self.token = token

    def add_chat(self, chat_id: int | str, chat_type: str = "private", *,
                 title: str | None = None, username: str | None = None,
                 first_name: str | None = None) -> dict[str, Any]:
        """Register a chat; once any is registered, sending elsewhere gives "chat not found"."""
        self.strict_chats = True
        return self._remember_chat(chat_id, chat_type, title, username, first_name)

    def _remember_chat(self, chat_id: int | str, chat_type: str, title: str | None = None,
                       username: str | None = None,
                       first_name: str | None = None) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name or "Alice"
        else:
            chat["title"] = title or f"Test {chat_type}"
        if username:
            chat["username"] = username
            self.chats[f"@{username}"] = chat
        self.chats[chat_id] = chat
        return chat

    def add_update(self, update: Mapping[str, Any]) -> dict[str, Any]:
        """Queue a raw update (e.g. ``{"callback_query": {...}}``); ``update_id`` is assigned."""
        queued = {"update_id": self._next_update_id, **update}
        self._next_update_id += 1
        self.updates.append(queued)
        self._notify()
        return queued

    def add_message(self, chat_id: int, text: str, *, from_user: Mapping[str, Any] | None = None,
                    chat_type: str = "private") -> dict[str, Any]:
        """Queue an update carrying a user's text message to the bot; returns the update."""
        chat = self.chats.get(chat_id) or self._remember_chat(chat_id, chat_type)
        sender = {"id": chat_id if chat_type == "private" else 42, "is_bot": False,
                  "first_name": "Alice", "username": "alice", "language_code": "en"}
        sender.update(from_user or {})
        message = {"message_id": self._take_message_id(), "from": sender, "chat": chat,
                   "date": int(time.time()), "text": text}
        return self.add_update({"message": message})

    def rate_limit(self, method: str, retry_after: int, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests."""
        self.fail_next(method, 429, f"Too Many Requests: retry after {retry_after}",
                       times=times, parameters={"retry_after": retry_after})

    def fail_next(self, method: str, error_code: int, description: str, *, times: int = 1,
                  parameters: dict[str, Any] | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` with this Bot API error."""
        error = ApiError(error_code, description, parameters)
        self._scripted.setdefault(method.lower(), []).extend([error] * times)

    async def wait_for_outbox(
        self, count: int = 1, timeout: float = 5.0  # noqa: ASYNC109 - a bounded wait is the API
    ) -> list[SentMessage]:
        """Wait until at least ``count`` messages were sent; raise TimeoutError otherwise."""
        if not await self._wait_until(lambda: len(self.outbox) >= count, timeout):
            raise TimeoutError(f"expected {count} sent messages, got {len(self.outbox)}: "
                               f"{[m.text for m in self.outbox]}")
        return list(self.outbox)

    def calls_of(self, method: str) -> list[TelegramCall]:
        """The recorded calls of one method, in order."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def _notify(self) -> None:
        """Wake every waiter so it re-checks its condition."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``predicate()`` holds or ``seconds`` pass; return whether it held."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
        return True

    def _take_message_id(self) -> int:
        self._next_message_id += 1
        return self._next_message_id - 1

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update({k: v for k, v in (await request.post()).items()
                               if isinstance(v, str)})
        call = TelegramCall(method, params)
        self.calls.append(call)
        try:
            result = await self._dispatch(request.match_info["token"], method, params)
        except ApiError as error:
            call.status = error.code
            body: dict[str, Any] = {"ok": False, "error_code": error.code,
                                    "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.code)
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, token: str, method: str, params: dict[str, Any]) -> Any:
        if not _TOKEN_SHAPE.match(token):
            raise ApiError(404, "Not Found")
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        handler = {
            "getme": self._get_me, "deletewebhook": self._true, "logout": self._true,
            "close": self._true, "getwebhookinfo": self._webhook_info,
            "getupdates": self._get_updates, "sendmessage": self._send_message,
            "sendchataction": self._send_chat_action, "setmycommands": self._set_my_commands,
        }.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        scripted = self._scripted.get(method.lower())
        if scripted:
            raise scripted.pop(0)
        return await handler(params)

    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_name,
                "username": self.bot_username, "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands", [])
        self.commands = json.loads(commands) if isinstance(commands, str) else list(commands)
        return True

    def _confirm(self, offset: int | None) -> None:
        """Forget updates the client confirmed, as Telegram does when given an offset."""
        if offset is None:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def _deliverable(self, allowed: list[str] | None) -> list[dict[str, Any]]:
        if allowed:
            # Telegram drops updates of kinds the bot did not ask for.
            self.updates = [u for u in self.updates if set(u) & set(allowed)]
        return self.updates

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = _int_param(params, "offset")
        limit = min(max(_int_param(params, "limit", 100) or 100, 1), 100)
        timeout = max(_int_param(params, "timeout", 0) or 0, 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed) if allowed.strip() else None
        # Like Telegram, a newer getUpdates ends an older one still waiting with 409.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        self._confirm(offset)
        if timeout:
            await self._wait_until(
                lambda: bool(self._deliverable(allowed)) or self._closing
                or self._poll_generation != generation,
                min(timeout, self.max_poll_wait))
        if self._poll_generation != generation and not self._closing:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                "sure that only one bot instance is running")
        return self._deliverable(allowed)[:limit]

    def _chat_for(self, chat_id: int | str) -> dict[str, Any]:
        if chat_id in self.chats:
            return self.chats[chat_id]
        if self.strict_chats:
            raise ApiError(400, "Bad Request: chat not found")
        if isinstance(chat_id, str):
            name = chat_id[1:]
            return self._remember_chat(-1001000000000 - len(self.chats), "channel",
                                       title=name, username=name)
        return self._remember_chat(chat_id, "private" if chat_id > 0 else "group")

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id_param(params)
        chat = self._chat_for(chat_id)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        try:
            shown = visible_text(text, params.get("parse_mode"))
        except MarkupError as error:
            raise ApiError(400, f"Bad Request: {error}") from None
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(shown) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        message = {"message_id": self._take_message_id(),
                   "from": await self._get_me(params), "chat": chat,
                   "date": int(time.time()), "text": shown}
        self.outbox.append(SentMessage(chat_id, text, params, message))
        self._notify()
        return message

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._chat_for(_chat_id_param(params))
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True
