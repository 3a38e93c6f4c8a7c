"""1,000 WebSocket chats at once, each streaming 200 text chunks, on one server process:
Jarvis with the scripted model against a bare aiohttp server sending the same frames. The
server and the clients run in separate processes; the server's peak memory is its VmHWM."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from .procs import ROOT, free_port, peak_memory_kb, process

NAME = "ws_chat"


def _sizes(quick: bool, smoke: bool) -> tuple[int, int]:
    """(chats, chunks per chat)."""
    if smoke:
        return 20, 20
    return (200, 200) if quick else (1000, 200)


async def _clients(base: str, key: str, chats: int, chunks: int, limit: float,
                   idle: Callable[[], None]) -> dict:
    """Run the clients; ``idle()`` is called while every socket is open and none chats yet."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.chat_clients", base, key, "--chats", str(chats),
        "--chunks", str(chunks), "--limit", str(limit), "--hold", cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    if (await proc.stdout.readline()).strip() == b"connected":
        idle()
    proc.stdin.write(b"go\n")
    await proc.stdin.drain()
    out = await proc.stdout.read()
    if await proc.wait() != 0:
        raise RuntimeError("the chat clients failed")
    return json.loads(out)


async def _server(bare: bool, chats: int, chunks: int, limit: float) -> dict[str, Any]:
    """Start one server, let the clients chat, and add the server's memory to their figures."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        args = ([sys.executable, "-m", "bench.chat_bare", str(port)] if bare
                else [sys.executable, "-m", "bench.chat_server", str(port), tmp])
        with process(args, stdout=subprocess.PIPE) as server:
            line = await asyncio.get_running_loop().run_in_executor(
                None, server.proc.stdout.readline)
            if not line:  # it exited before listening
                server.proc.wait(10)
                server.check_alive()
            key = json.loads(line)["key"]  # printed once it listens
            base = f"http://127.0.0.1:{port}"
            idle = peak_memory_kb(server.pid)["VmRSS"]
            connected: list[int] = []

            def measure_idle() -> None:
                connected.append(peak_memory_kb(server.pid)["VmRSS"])

            figures = await _clients(base, key, chats, chunks, limit, measure_idle)
            server.check_alive()
            figures["server_idle_mb"] = round(idle / 1024, 1)
            figures["server_peak_mb"] = round(peak_memory_kb(server.pid)["VmHWM"] / 1024, 1)
            figures["kb_per_chat"] = round((figures["server_peak_mb"] * 1024 - idle) / chats, 1)
            figures["kb_per_idle_socket"] = (round((connected[0] - idle) / chats, 1)
                                             if connected else None)
            return figures


async def run(quick: bool, *, smoke: bool = False) -> dict:
    """Completions, frame delay and server memory for Jarvis and for the bare server."""
    chats, chunks = _sizes(quick, smoke)
    limit = 120.0 if smoke else 600.0
    bare = await _server(True, chats, chunks, limit)
    jarvis = await _server(False, chats, chunks, limit)
    out: dict[str, Any] = {"chats": chats, "chunks_per_chat": chunks,
                           "completed": jarvis["completed"], "errors": jarvis["errors"]}
    if jarvis["first_error"]:
        out["first_error"] = jarvis["first_error"]
    for key in ("delay_p50_ms", "delay_p99_ms", "delay_max_ms"):
        out[key] = jarvis[key]
    # The bare server outruns the one client process, so its frame delays would only measure
    # the client's backlog: it is the baseline for throughput, memory and connecting only.
    for key in ("stream_s", "frames_per_s", "connect_s", "server_idle_mb", "server_peak_mb",
                "kb_per_chat", "kb_per_idle_socket"):
        out[f"jarvis_{key}"] = jarvis[key]
        out[f"bare_{key}"] = bare[key]
    out["bare_completed"] = bare["completed"]
    out["frames_ratio"] = round(jarvis["frames_per_s"] / bare["frames_per_s"], 3)
    out["memory_ratio"] = round(jarvis["kb_per_chat"] / max(bare["kb_per_chat"], 1.0), 2)
    if jarvis["kb_per_idle_socket"] is not None and bare["kb_per_idle_socket"]:
        out["idle_socket_memory_ratio"] = round(
            jarvis["kb_per_idle_socket"] / max(bare["kb_per_idle_socket"], 1.0), 2)
    return out
