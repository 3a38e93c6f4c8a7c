"""Chat sessions: per user and session id, shared by every socket that watches them."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from aiohttp import web

from ..errors import JarvisError
from ..keys import RUN_QUEUE
from ..providers.base import Message
from ..run_requests import RunRequest
from ..runtime.events import Frame
from ..runtime.runner import Runtime
from ..tools import UserRef
from . import attachments as attach
from .protocol import ChatMessage, Clear, ClientFrame, Confirm, Ping, StopRun
from .sockets import SEND_QUEUE_LIMIT, SocketSender

log = logging.getLogger("jarvis.chat")

MAX_FRAME = 16 * 1024 * 1024  # room for the attachments (10 MB, base64) of one message
IDLE_SESSION = 3600.0  # a session nobody watches is forgotten after an hour
STARTING = "starting"
RECHECK_SECONDS = 30.0


@dataclass(eq=False)
class ChatSession:
    """One chat session of one user: its sockets, its history and its current run."""

    user: UserRef
    session_id: str
    sockets: set[SocketSender] = field(default_factory=set)
    history: list[Message] = field(default_factory=list)
    conversation_id: str | None = None
    run_id: str | None = None
    approvals: set[str] = field(default_factory=set)  # asks the user approved (Decision.remember)
    last_seen: float = field(default_factory=time.monotonic)

    def broadcast(self, frame: Frame) -> None:
        for sender in list(self.sockets):
            sender.send(frame)

    def on_run_frame(self, frame: Frame) -> None:
        """Frames of this session's run go to every socket; its end frees the session."""
        if frame.get("type") in ("done", "error") and frame.get("run_id") == self.run_id:
            self.run_id = None
        self.broadcast(frame)


class ChatHub:
    """The chat sessions of one app and what each client frame does to them."""

    def __init__(self, app: web.Application, runtime: Runtime):
        self.app = app
        self.runtime = runtime
        self.sessions: dict[tuple[str, str], ChatSession] = {}
        # limits tests may lower
        self.max_attachment_bytes = attach.MAX_ATTACHMENT_BYTES
        self.max_total_bytes = attach.MAX_TOTAL_BYTES
        self.max_frame = MAX_FRAME
        self.send_queue_limit = SEND_QUEUE_LIMIT
        self.recheck_seconds = RECHECK_SECONDS  # how often an idle socket's login is checked

    def join(self, user: UserRef, session_id: str, sender: SocketSender) -> ChatSession:
        """The session for this user and id (new or resumed), with ``sender`` watching it."""
        self._sweep()
        key = (user.id, session_id)
        session = self.sessions.get(key)
        if session is None:
            session = self.sessions[key] = ChatSession(user, session_id)
        session.sockets.add(sender)
        return session

    def leave(self, session: ChatSession, sender: SocketSender) -> None:
        session.sockets.discard(sender)
        session.last_seen = time.monotonic()

    def _sweep(self) -> None:
        now = time.monotonic()
        for key, s in list(self.sessions.items()):
            if not s.sockets and s.run_id is None and now - s.last_seen > IDLE_SESSION:
                del self.sessions[key]

    def session_frame(self, session: ChatSession) -> Frame:
        pending = None
        if session.run_id and (handle := self.runtime.active.get(session.run_id)):
            asked = handle.control.pending_confirmation
            pending = asked.frame() if asked else None
        return {
            "type": "session", "session_id": session.session_id,
            "conversation_id": session.conversation_id,
            "paused": self.app[RUN_QUEUE].paused, "running": session.run_id is not None,
            "pending_confirmation": pending,
        }

    async def handle(self, session: ChatSession, sender: SocketSender, frame: ClientFrame) -> None:
        """Do what one client frame asks."""
        if isinstance(frame, Ping):
            sender.send({"type": "pong"})
        elif isinstance(frame, ChatMessage):
            await self._message(session, sender, frame)
        elif isinstance(frame, Confirm):
            run_id = session.run_id
            if not (run_id and self.runtime.confirm(run_id, frame.call_id, frame.approved)):
                sender.send(error(f"call_id: no confirmation {frame.call_id!r} is pending"))
        elif isinstance(frame, StopRun):
            if session.run_id in (None, STARTING) or not self.runtime.stop(session.run_id or ""):
                sender.send(error("there is no run to stop in this session"))
        elif isinstance(frame, Clear):
            if session.run_id is not None:
                sender.send(error("a run is in progress in this session; stop it first"))
                return
            session.history = []
            session.conversation_id = None
            session.approvals = set()
            session.broadcast(self.session_frame(session))

    async def _message(
        self, session: ChatSession, sender: SocketSender, frame: ChatMessage
    ) -> None:
        if session.run_id is not None:
            sender.send(error("a run is already in progress in this session"))
            return
        if self.app[RUN_QUEUE].paused:
            sender.send(error("the agent is paused; try again when it is resumed"))
            return
        session.run_id = STARTING  # no second message may start a run meanwhile
        try:
            run_id = await self._start(session, frame)
        except JarvisError as err:
            session.run_id = None
            sender.send(error(err.message, err.detail))
            return
        except asyncio.CancelledError:  # the socket went away mid-start: free the session
            session.run_id = None
            raise
        except Exception:
            session.run_id = None
            log.exception("starting a chat run failed")
            sender.send(error("the run could not start (internal error)"))
            return
        session.run_id = run_id

    async def _start(self, session: ChatSession, frame: ChatMessage) -> str:
        model_id = frame.model or await self.runtime.catalogue.default()
        blocks = []
        if frame.attachments:
            info = await self.runtime.catalogue.info(model_id) if model_id else None
            blocks = attach.blocks(frame.attachments, model_id or "?", info,
                                   self.max_attachment_bytes, self.max_total_bytes)
        history: list[Message] | None = session.history
        conversation_id = session.conversation_id
        if frame.conversation_id is not None and frame.conversation_id != conversation_id:
            history, conversation_id = None, frame.conversation_id  # loaded from the store
        request = RunRequest(
            kind="chat", user=session.user, message=frame.content, model=model_id,
            session_id=session.session_id, conversation_id=conversation_id, history=history,
            attachments=blocks, approvals=session.approvals,
        )

        run_id = await self.runtime.start(request, listener=session.on_run_frame)
        session.history = request.history if request.history is not None else []
        session.conversation_id = request.conversation_id
        return run_id


def error(message: str, detail: object = None, run_id: str | None = None) -> Frame:
    """An ``error`` frame."""
    frame: Frame = {"type": "error", "error": message, "detail": detail}
    if run_id:
        frame["run_id"] = run_id
    return frame
