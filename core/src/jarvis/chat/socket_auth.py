"""Who holds an open chat socket, checked again while it stays open.

A socket is authenticated when it connects; logout, a password change, disabling the user or
deleting the API key must end it too. Before acting on each client frame, and every
``ChatHub.recheck_seconds`` while idle, the socket's original request goes through
``app[AUTHENTICATOR]`` again: a cache hit for most frames, one indexed read at most every few
seconds. When the credentials no longer hold, the socket gets an ``error`` frame and is closed
with code 4401 (private-use, like HTTP 401: log in again), so a client can tell this apart from
a network drop and need not retry. Runs go on: a logout ends the socket, not the work (its
answer is stored in the conversation); disabling or deleting a user stops their runs
(``Runtime.stop_user``). A change of role applies to the session's next run.
"""

from __future__ import annotations

import asyncio
import logging
from enum import Enum

from aiohttp import web

from ..background import stop_task
from ..errors import JarvisError
from ..keys import AUTHENTICATOR
from ..web import Principal
from .hub import ChatSession, error
from .sockets import SocketSender

log = logging.getLogger("jarvis.chat")

REVOKED_CODE = 4401
REVOKED = "session ended: log in again"
UNCHECKED = "your login could not be checked just now; try again"


class SessionState(Enum):
    OK = "ok"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # the check itself failed (e.g. the database is away for a moment)


class SocketGuard:
    """Re-checks one socket's credentials; ends the socket once they no longer hold."""

    def __init__(self, request: web.Request, principal: Principal, session: ChatSession,
                 sender: SocketSender, every: float):
        self.request = request
        self.principal = principal
        self.session = session
        self.sender = sender
        self.every = every
        self._watcher: asyncio.Task[None] | None = None

    async def check(self) -> SessionState:
        """Authenticate the socket's request again: the same user, session or key must come back."""
        try:
            found = await self.request.app[AUTHENTICATOR].authenticate(self.request)
        except JarvisError:  # refused outright (e.g. the origin check)
            return SessionState.REVOKED
        except Exception:
            log.exception("re-checking a chat socket's login failed")
            return SessionState.UNKNOWN
        was = self.principal
        if (found is None or found.user.id != was.user.id or found.method != was.method
                or found.session_id != was.session_id or found.api_key_id != was.api_key_id):
            return SessionState.REVOKED
        self.principal = found
        if found.user != self.session.user:  # a new role or name: the next run uses it
            self.session.user = found.user
        return SessionState.OK

    async def allows(self) -> bool:
        """Whether the next client frame may be acted on; ends a revoked socket."""
        verdict = await self.check()
        if verdict is SessionState.REVOKED:
            self.end()
        elif verdict is SessionState.UNKNOWN:
            self.sender.send(error(UNCHECKED))
        return verdict is SessionState.OK

    def end(self) -> None:
        self.sender.end(REVOKED_CODE, "session ended", error(REVOKED))

    def start(self) -> None:
        """Check every ``every`` seconds while the socket is open."""
        self._watcher = asyncio.create_task(self._watch(), name="ws-login-check")

    async def stop(self) -> None:
        await stop_task(self._watcher)

    async def _watch(self) -> None:
        while not self.sender.closed:
            await asyncio.sleep(self.every)
            if await self.check() is SessionState.REVOKED:
                self.end()
