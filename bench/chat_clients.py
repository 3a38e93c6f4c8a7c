"""Many chat clients in one process: ``python -m bench.chat_clients URL KEY --chats N --chunks C``.

Every client opens ``/ws/<session>`` with the API key and reads the greeting frames; once all
are connected, each sends one message at the same moment and reads the streamed answer to its
``done`` frame. A text chunk's delay is the time from the model producing it (the stamp at its
start, from the shared monotonic clock) to this process reading it. Prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiohttp

from .procs import CHAT_MODEL, raise_open_files_limit

CONNECTS_AT_ONCE = 50


@dataclass
class Chat:
    """What one client saw."""

    chunks: int = 0
    done: bool = False
    error: str | None = None
    delays: list[float] = field(default_factory=list)


def message(chunks: int) -> str:
    """A message whose echo ("Echo: " and the words, two words a chunk) has ``chunks`` chunks."""
    return " ".join(f"word{i}" for i in range(2 * chunks - 1))


async def _one(session: aiohttp.ClientSession, url: str, chat: Chat, text: str,
               gate: asyncio.Semaphore, connected: list[int], go: asyncio.Event) -> None:
    try:
        async with gate:
            ws = await session.ws_connect(url, heartbeat=None, max_msg_size=0)
            for _ in range(2):  # models, session
                await ws.receive_json()
        connected.append(1)
        async with ws:
            await go.wait()
            await ws.send_json({"type": "message", "content": text, "model": CHAT_MODEL})
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    chat.error = f"socket ended: {msg.type.name}"
                    return
                now = time.monotonic()
                frame = json.loads(msg.data)
                kind = frame.get("type")
                if kind == "text":
                    chat.chunks += 1
                    chat.delays.append(now - float(frame["content"].split(" ", 1)[0]))
                elif kind == "done":
                    chat.done = frame.get("status") == "done"
                    return
                elif kind == "error":
                    chat.error = frame.get("error")
                    return
    except (aiohttp.ClientError, ValueError, OSError) as err:
        chat.error = f"{type(err).__name__}: {err}"


def _percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


async def measure(base: str, key: str, chats: int, chunks: int, limit: float,
                  hold: Callable[[], Awaitable[None]] | None = None) -> dict:
    raise_open_files_limit()
    results = [Chat() for _ in range(chats)]
    gate, go, connected = asyncio.Semaphore(CONNECTS_AT_ONCE), asyncio.Event(), []
    text = message(chunks)
    ws_base = base.replace("http://", "ws://")
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, headers={"X-API-Key": key}) as session:
        start = time.perf_counter()
        tasks = [asyncio.create_task(_one(session, f"{ws_base}/ws/bench-{i}", chat, text, gate,
                                          connected, go)) for i, chat in enumerate(results)]
        while len(connected) + sum(1 for c in results if c.error) < chats:
            if time.perf_counter() - start > limit:
                break  # the clients still connecting count as timed out below
            await asyncio.sleep(0.01)
        connect_s = time.perf_counter() - start
        if hold is not None:
            await hold()  # the caller measures the server with every socket open and idle
        start = time.perf_counter()
        go.set()
        _done, pending = await asyncio.wait(tasks, timeout=limit)
        stream_s = time.perf_counter() - start
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    delays = sorted(d for c in results for d in c.delays)
    errors = [c.error for c in results if c.error]
    frames = sum(c.chunks for c in results)
    return {
        "chats": chats,
        "completed": sum(1 for c in results if c.done and c.chunks == chunks),
        "chunks_expected": chunks,
        "chunks_min": min(c.chunks for c in results),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "timed_out": len(pending),
        "connect_s": round(connect_s, 3),
        "stream_s": round(stream_s, 3),
        "frames_per_s": round(frames / stream_s) if stream_s else None,
        "delay_p50_ms": round(_percentile(delays, 0.5) * 1000, 2) if delays else None,
        "delay_p99_ms": round(_percentile(delays, 0.99) * 1000, 2) if delays else None,
        "delay_max_ms": round(delays[-1] * 1000, 2) if delays else None,
    }


async def _connected_then_wait() -> None:
    print("connected", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chat_clients")
    parser.add_argument("base")
    parser.add_argument("key")
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--chunks", type=int, default=200)
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before giving up")
    parser.add_argument("--hold", action="store_true",
                        help='once connected, print "connected" and wait for a line on stdin')
    args = parser.parse_args()
    hold = _connected_then_wait if args.hold else None
    figures = asyncio.run(measure(args.base, args.key, args.chats, args.chunks, args.limit, hold))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
