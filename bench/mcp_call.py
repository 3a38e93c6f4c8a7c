"""One MCP tool call through Jarvis against the same call made directly with the SDK client.

The server is the SDK server of the MCP tests (Streamable HTTP, a child process on loopback).
Directly: the SDK's ``Client.call_tool`` in a loop. Through Jarvis: an agent run whose scripted
model (no network, no delay) calls the same tool step after step, so each step is the model turn,
the pipeline (allowed tools, policies, canary, sanitizing, audit row, stored messages) and the
call over the plugin's guarded connection. Both are measured in the same run."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web
from jarvis import AgentConfig
from jarvis.app import create_app
from jarvis.auth.users import insert_user
from jarvis.keys import CONFIG, DATABASE, OUTBOUND_HTTP, PLUGIN_CONTEXTS, RUNTIME
from jarvis.run_requests import RunRequest
from jarvis.settings import Settings
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, loopback_http
from jarvis.testing.scripted import ScriptedProvider, reply, tool_use
from jarvis.testing.servers import ServerProcess, free_port

from .runtime_loop import _percentile

NAME = "mcp_call"
SERVER = Path(__file__).resolve().parents[1] / "tests" / "support" / "mcp_http_server.py"
TOOL = "mcp__notes__lookup"


async def _direct(url: str, calls: int) -> list[float]:
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    seconds: list[float] = []
    async with Client(streamable_http_client(url), mode="legacy", cache=None) as client:
        await client.call_tool("lookup", {"key": "warm"})
        for i in range(calls):
            start = time.perf_counter()
            result = await client.call_tool("lookup", {"key": f"k{i}"})
            seconds.append(time.perf_counter() - start)
            if result.is_error:
                raise RuntimeError(f"the direct call failed: {result.content}")
    return seconds


async def _through_jarvis(app: web.Application, provider: ScriptedProvider, user,
                          steps: int) -> list[float]:
    provider.script(*[tool_use(TOOL, {"key": f"k{i}"}) for i in range(steps)], reply("done"))
    stamps: list[float] = []

    def listener(frame: dict) -> None:
        if frame["type"] == "tool_done":
            if not frame["success"]:
                raise RuntimeError(f"the call through Jarvis failed: {frame['result_summary']}")
            stamps.append(time.perf_counter())

    request = RunRequest(kind="agent", user=user, agent=AgentConfig(
        prompt="bench", allowed_tools=[TOOL], max_tool_calls=steps + 1))
    outcome = await app[RUNTIME].wait(await app[RUNTIME].start(request, listener=listener))
    if outcome.status != "done":
        raise RuntimeError(f"bench run ended {outcome.status}: {outcome.error}")
    return [b - a for a, b in zip(stamps, stamps[1:], strict=False)]


async def _connected(app: web.Application, user, url: str) -> None:
    import jarvis_mcp
    from jarvis_mcp import servers
    from jarvis_mcp.manager import state_of
    from jarvis_mcp.schemas import ServerCreate

    context = app[PLUGIN_CONTEXTS]["mcp"]
    state = state_of(context)
    body = ServerCreate(name="notes", transport="http", url=url)
    await servers.create(context.db, context.vault, user, body, context.http.policy,
                         state.settings)
    assert state.manager is not None, jarvis_mcp.__name__
    await state.manager.sync()
    for _ in range(600):
        if any(link.state == "connected" and link.tools for link in state.manager.links.values()):
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("the MCP server did not connect")


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    """Median and p99 of one call directly and one step through Jarvis, and the difference."""
    import jarvis_mcp

    calls = 5 if smoke else 100 if quick else 500
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        process = ServerProcess("mcp-bench", [sys.executable, str(SERVER), str(port),
                                              str(Path(tmp) / "calls.jsonl")],
                                port, Path(tmp) / "server.log")
        await process.start(ready_within=60)
        url = f"http://127.0.0.1:{port}/mcp"
        provider = ScriptedProvider(id="bench", models=("echo",))
        settings = Settings(data_dir=Path(tmp) / "data", database_url=database_url,
                            disable_plugins=BUILTIN_PROVIDERS)
        app = create_app(settings, [jarvis_mcp, ModelPlugin(provider, name=NAME)])
        app[OUTBOUND_HTTP] = loopback_http(port)
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        try:
            await app[CONFIG].update("limits", {"max_autonomous_runs_per_hour": 100_000})
            user = await insert_user(app[DATABASE], "bench", "not-a-real-hash", "admin")
            await _connected(app, user, url)
            await _through_jarvis(app, provider, user, 3)  # warm up
            direct: list[float] = []
            jarvis: list[float] = []
            rounds = 1 if smoke else 5  # interleaved, so a busy moment hits both alike
            for _ in range(rounds):
                direct += await _direct(url, calls // rounds)
                jarvis += await _through_jarvis(app, provider, user, calls // rounds + 1)
        finally:
            await runner.cleanup()
            await process.stop()
    direct_ms, jarvis_ms = statistics.median(direct) * 1000, statistics.median(jarvis) * 1000
    return {
        "direct_call_median_ms": round(direct_ms, 3),
        "direct_call_p99_ms": round(_percentile(direct, 0.99) * 1000, 3),
        "jarvis_call_median_ms": round(jarvis_ms, 3),
        "jarvis_call_p99_ms": round(_percentile(jarvis, 0.99) * 1000, 3),
        "overhead_median_ms": round(jarvis_ms - direct_ms, 3),
        "ratio": round(jarvis_ms / direct_ms, 2),
        "calls_measured": len(jarvis),
    }
