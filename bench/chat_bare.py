"""The WebSocket benchmark's baseline, a bare aiohttp server speaking just enough of the chat
protocol: ``python -m bench.chat_bare PORT``. It greets like Jarvis, then answers a message by
streaming its echo two words a frame (each stamped with the monotonic clock) and a ``done``."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from collections.abc import Awaitable, Callable

from aiohttp import WSMsgType, web

from .procs import CHAT_MODEL, raise_open_files_limit


def stamp(text: str) -> str:
    """The chunk, prefixed with the time it was produced (the client's delay reference)."""
    return f"{time.monotonic():.6f} {text}"


async def _socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_json({"type": "models", "models": [], "default": CHAT_MODEL})
    await ws.send_json({"type": "session", "session_id": request.match_info["session_id"],
                        "conversation_id": None, "paused": False, "running": False,
                        "pending_confirmation": None})
    async for msg in ws:
        if msg.type != WSMsgType.TEXT:
            continue
        words = ["Echo:", *json.loads(msg.data)["content"].split()]
        pieces = [" ".join(words[i:i + 2]) + " " for i in range(0, len(words), 2)]
        for piece in pieces:
            await asyncio.sleep(0)  # as the scripted model yields between chunks
            await ws.send_json({"type": "text", "content": stamp(piece)})
        await ws.send_json({"type": "done", "run_id": "bare", "conversation_id": None,
                            "text": "".join(pieces), "tool_calls_made": 0,
                            "usage": {"input_tokens": 0, "output_tokens": 0}, "status": "done"})
    return ws


async def serve(port: int, setup: Callable[[], Awaitable[tuple[web.AppRunner, str]]]) -> None:
    """Listen on ``port``, print ``{"key": ...}`` once listening, serve until SIGTERM."""
    runner, key = await setup()
    # a thousand clients connect at once: a longer accept queue than the default 128
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=2048)
    await site.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print(json.dumps({"key": key}), flush=True)
    await stop.wait()
    await runner.cleanup()


async def _bare() -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_get("/ws/{session_id}", _socket)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    return runner, "bare"


def main() -> None:
    raise_open_files_limit()
    asyncio.run(serve(int(sys.argv[1]), _bare))


if __name__ == "__main__":
    main()
