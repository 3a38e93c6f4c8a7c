"""The Telegram trigger: runs a polling session while a bot token is configured, restarts it
when the token changes and stops it when the token is removed."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Literal

from jarvis import Emitter, JarvisError, PluginContext, Trigger

from .settings import TOKEN_KEY, TelegramSettings

log = logging.getLogger("jarvis.telegram")

Status = Literal["running", "stopped", "error"]
# How the supervisor (GET /api/plugins) shows each state.
_SUPERVISOR_STATE = {"running": "running", "stopped": "stopped", "error": "failed"}


@dataclass(slots=True)
class ListenerState:
    """What GET /api/telegram/config reports of the listener."""

    status: Status = "stopped"
    error: str | None = None
    bot_username: str | None = None
    ignored_messages: int = 0  # messages from chats not on the whitelist (or for nobody)


class TelegramListener(Trigger):
    """Long-polls the Bot API with the token from the vault; one per app."""

    name = "telegram"

    def __init__(self, settings: TelegramSettings):
        self.settings = settings
        self.state = ListenerState()
        self.sleep = asyncio.sleep  # every wait goes through here (tests watch the waits)
        self._changed: asyncio.Event | None = None
        self._emit: Emitter | None = None

    def config_changed(self) -> None:
        """The token was set or removed here: restart now rather than at the next check."""
        if self._changed is not None:
            self._changed.set()

    def report(self, status: Status, error: str | None = None,
               supervisor_state: str | None = None) -> None:
        """Record the listener's state for the config route and GET /api/plugins."""
        self.state.status, self.state.error = status, error
        if status != "running":
            self.state.bot_username = None
        if self._emit is not None:
            self._emit.status(supervisor_state or _SUPERVISOR_STATE[status], error)

    def running(self, bot_username: str | None) -> None:
        self.report("running")
        self.state.bot_username = bot_username

    async def run(self, emit: Emitter) -> None:
        self._emit = emit
        self._changed = asyncio.Event()
        try:
            while True:
                token, problem = await self._read_token(emit.context)
                session: asyncio.Task[None] | None = None
                if token:
                    from .session import PollingSession  # python-telegram-bot, when needed

                    session = asyncio.create_task(PollingSession(self, emit, token).run(),
                                                  name="telegram:poll")
                else:
                    self.report("error" if problem else "stopped", problem)
                try:
                    await self._watch(emit.context, token, session)
                finally:
                    if session is not None:
                        session.cancel()
                        with suppress(asyncio.CancelledError):
                            await session
        finally:
            self.report("stopped")

    async def _read_token(self, context: PluginContext) -> tuple[str | None, str | None]:
        """The configured token, or None with the reason it cannot be used (if any)."""
        try:
            return (await context.vault.get(TOKEN_KEY)) or None, None
        except JarvisError:
            return None, "the stored bot token cannot be decrypted; set it again"

    async def _watch(self, context: PluginContext, token: str | None,
                     session: asyncio.Task[None] | None) -> None:
        """Return when the token should be (re)read: a change here, or a different value found
        by the periodic check (another process or the credentials API changed it)."""
        assert self._changed is not None
        while True:
            waiter = asyncio.ensure_future(self._changed.wait())
            pending: set[asyncio.Future[Any]] = {waiter}
            if session is not None and not session.done():
                pending.add(session)
            try:
                done, _ = await asyncio.wait(pending, timeout=self.settings.config_check_interval,
                                             return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
            if session is not None and session in done:
                session.result()  # a crash goes to the supervisor, which restarts us
            if self._changed.is_set():
                self._changed.clear()
                return
            current, _problem = await self._read_token(context)
            if current != token:
                return


def listener_of(context: PluginContext) -> TelegramListener | None:
    """The plugin's Telegram listener (it registers one per app)."""
    return context.own(TelegramListener)
