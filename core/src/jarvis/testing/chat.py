"""The chat WebSocket as a test speaks it.

    chat = await open_chat(user_client)           # intro frames (models, session) read
    frames = await chat.say("hello")              # up to "done" or "error"
    assert text_of(frames) == "Hi!"
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import WSMsgType

Frame = dict[str, Any]


class Chat:
    """One WebSocket of the chat protocol, read frame by frame."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.seen: list[Frame] = []

    async def send(self, **frame: Any) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def recv(self, seconds: float = 15.0) -> Frame:
        msg = await self.ws.receive(timeout=seconds)
        assert msg.type == WSMsgType.TEXT, f"expected a text frame, got {msg.type} {msg.data!r}"
        frame = json.loads(msg.data)
        self.seen.append(frame)
        return frame

    async def until(self, *types: str, seconds: float = 15.0) -> list[Frame]:
        """Frames up to and including the first of one of ``types``."""
        frames: list[Frame] = []
        while True:
            frame = await self.recv(seconds)
            frames.append(frame)
            if frame["type"] in types:
                return frames

    async def say(self, content: str, **extra: Any) -> list[Frame]:
        """Send a message and read its run to the end (``done`` or ``error``)."""
        await self.send(type="message", content=content, **extra)
        return await self.until("done", "error")

    async def asked(self, content: str, **extra: Any) -> Frame:
        """Send a message and read up to its first ``confirmation_required`` frame."""
        await self.send(type="message", content=content, **extra)
        return (await self.until("confirmation_required"))[-1]

    async def answer(self, ask: Frame, approved: bool) -> list[Frame]:
        """Approve or decline the call ``ask`` asked about and read the run to ``done``."""
        await self.send(type="confirm", call_id=ask["call_id"], approved=approved)
        return await self.until("done")

    async def until_closed(self, seconds: float = 15.0) -> tuple[list[Frame], int]:
        """Frames up to the server's close, and the close code."""
        frames: list[Frame] = []
        while True:
            msg = await self.ws.receive(timeout=seconds)
            if msg.type != WSMsgType.TEXT:
                assert msg.type == WSMsgType.CLOSE, f"expected a close, got {msg.type}"
                return frames, msg.data
            frames.append(json.loads(msg.data))
            self.seen.append(frames[-1])

    async def close(self) -> None:
        await self.ws.close()


async def open_chat(client: Any, session_id: str = "s1", skip_intro: bool = True) -> Chat:
    """Connect to ``/ws/{session_id}``; by default read the intro up to the ``session`` frame."""
    chat = Chat(await client.ws_connect(f"/ws/{session_id}"))
    if skip_intro:
        await chat.until("session")
    return chat


def of_type(frames: list[Frame], kind: str) -> list[Frame]:
    """The frames of one type."""
    return [f for f in frames if f["type"] == kind]


def text_of(frames: list[Frame]) -> str:
    """The answer's text, joined from its ``text`` frames."""
    return "".join(f["content"] for f in of_type(frames, "text"))

