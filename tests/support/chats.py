"""A chat whose run the test holds in the model, to act while it runs."""

from __future__ import annotations

import asyncio
from typing import Any

from jarvis.testing.chat import Chat, open_chat
from jarvis.testing.scripted import hang


async def held_run(client: Any, model: Any, then: Any, content: str = "hi",
                   session_id: str = "s1") -> tuple[Chat, asyncio.Event]:
    """Send ``content`` and return once the model has it; the run waits there until the
    returned event is set, then the model answers ``then``."""
    release = asyncio.Event()
    model.script(hang(until=release, then=then))
    chat = await open_chat(client, session_id)
    await chat.send(type="message", content=content)
    await model.wait_for(1)
    return chat, release
