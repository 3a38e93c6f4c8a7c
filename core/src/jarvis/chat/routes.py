"""The chat WebSocket, ``/ws/{session_id}`` (see the chat protocol page)."""

from __future__ import annotations

import logging
import re

from aiohttp import WSMsgType, web

from ..errors import BadRequest
from ..keys import CHAT_HUB, RUNTIME
from ..runtime.catalogue import ModelCatalogue
from ..runtime.events import Frame
from ..web import Access, Routes, current_user, principal
from .hub import error
from .protocol import ProtocolError, parse
from .socket_auth import SocketGuard
from .sockets import SocketSender

routes = Routes("chat")
log = logging.getLogger("jarvis.chat")

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
HEARTBEAT = 30.0


async def _models_frame(catalogue: ModelCatalogue) -> Frame:
    """The greeting's model list, built apart so the open socket's handler keeps none of it."""
    infos = await catalogue.infos()
    return {"type": "models", "models": [m.model_dump() for m in infos],
            "default": catalogue.default_from(infos)}


@routes.get("/ws/{session_id}", access=Access.USER, summary="Chat over a WebSocket")
async def chat_socket(request: web.Request) -> web.StreamResponse:
    session_id = request.match_info["session_id"]
    if not SESSION_ID.match(session_id):
        raise BadRequest("session_id: 1-64 characters of A-Z a-z 0-9 _ -")
    hub = request.app[CHAT_HUB]
    ws = web.WebSocketResponse(heartbeat=HEARTBEAT, max_msg_size=hub.max_frame)
    await ws.prepare(request)
    sender = SocketSender(ws, request.transport, hub.send_queue_limit)
    sender.send(await _models_frame(request.app[RUNTIME].catalogue))
    session = hub.join(current_user(request), session_id, sender)
    sender.send(hub.session_frame(session))
    # logout, disabling or a deleted key end the socket too, not only later requests
    guard = SocketGuard(request, principal(request), session, sender, hub.recheck_seconds)
    guard.start()
    try:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                try:
                    frame = parse(msg.data)
                except ProtocolError as err:
                    sender.send(error(str(err)))
                    continue
                if await guard.allows():
                    await hub.handle(session, sender, frame)
            elif msg.type == WSMsgType.BINARY:
                sender.send(error("binary frames are not supported; send JSON text"))
    finally:
        await guard.stop()
        hub.leave(session, sender)
        await sender.aclose()
    return ws
