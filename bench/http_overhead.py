"""HTTP overhead: Jarvis's /health, authenticated /api/status (by cookie and by API key) and
``GET /api/agents`` listing 1,000 agents, each against a bare aiohttp app answering the same
JSON. Every server runs in its own process; the load comes from another process. Figures:
requests per second (``*_rps``), Jarvis over bare (``*_ratio``), Jarvis's p99 latency, and the
server's CPU time per request (``*_cpu_us``; ``*_cpu_ratio``: bare's over Jarvis's, the share of
bare aiohttp's rate one core would reach). On a machine busy with other work the rates swing
with the scheduler; the CPU time per request much less."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

from .procs import Server, cpu_seconds, free_port, jarvis_env, load, process, wait_until_up
from .session import BenchSetupError, add_agents, create_admin, login

NAME = "http"


def _sizes(quick: bool, smoke: bool) -> tuple[float, int]:
    """Seconds per measurement and agents in the list."""
    if smoke:
        return 0.3, 50
    return (2.0, 1000) if quick else (10.0, 1000)


async def _fetch_json(url: str, headers: dict[str, str]) -> Any:
    async with aiohttp.ClientSession(headers=headers) as session, session.get(url) as resp:
        if resp.status != 200:
            raise BenchSetupError(f"{url} answered {resp.status}: {await resp.text()}")
        return await resp.json()


async def _add_listing(base: str, data_dir: Path, creds, agents: int) -> None:
    """``agents`` agents; their listing saved for the bare app."""
    await add_agents(base, creds, agents)
    listing = await _fetch_json(f"{base}/api/agents", creds.key_headers)
    if len(listing) != agents:
        raise BenchSetupError(f"GET /api/agents listed {len(listing)} of {agents} agents")
    (data_dir / "agents.json").write_text(json.dumps(listing))


async def _prepare(base: str, data_dir: Path, agents: int):
    """A login (cookie and API key) and ``agents`` agents; their listing saved for the bare app."""
    creds = await login(base)
    await _add_listing(base, data_dir, creds, agents)
    return creds


def _merge(first: dict, second: dict) -> dict:
    """Two halves of one measurement: the mean rate and CPU time, and the worse p99."""
    return {"rps": (first["rps"] + second["rps"]) / 2,
            "p99_ms": max(first["p99_ms"] or 0.0, second["p99_ms"] or 0.0),
            "cpu_us": (first.get("cpu_us", 0.0) + second.get("cpu_us", 0.0)) / 2,
            "errors": first["errors"] + second["errors"]}


async def _load(server: Server, url: str, seconds: float, concurrency: int,
                headers: dict[str, str] | None = None) -> dict:
    """One load's figures and the server's CPU time per request meanwhile (the warm-up
    apart)."""
    await load(url, min(0.5, seconds / 4), concurrency, headers, warmup=0)
    before = cpu_seconds(server.pid)
    figures = await load(url, seconds, concurrency, headers, warmup=0)
    used = cpu_seconds(server.pid) - before
    figures["cpu_us"] = used / max(1, figures["requests"]) * 1e6
    return figures


async def _pair(servers: tuple[Server, Server], bare_url: str, jarvis_url: str,
                headers: dict[str, str], seconds: float,
                concurrency: int = 32) -> tuple[dict, dict]:
    """Bare, Jarvis, Jarvis, bare, half the time each, so a drift in the machine's load (other
    work, a background task) weighs on both alike."""
    half = seconds / 2
    bare_server, server = servers
    bare = [await _load(bare_server, bare_url, half, concurrency)]
    jarvis = [await _load(server, jarvis_url, half, concurrency, headers) for _ in range(2)]
    bare.append(await _load(bare_server, bare_url, half, concurrency))
    return _merge(*bare), _merge(*jarvis)


async def _measure(seconds: float, agents: int, data_dir: Path,
                   database_url: str | None) -> dict[str, tuple[dict, dict]]:
    """Both servers up at once; each Jarvis figure gets its own bare figure (see _pair)."""
    port, bare_port = free_port(), free_port()
    env = jarvis_env(data_dir, port, database_url)
    base, bare_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
    bare_args = [sys.executable, "-m", "bench.bare_app", str(bare_port),
                 str(data_dir / "agents.json")]
    await create_admin(data_dir, env)  # before the server: both would set up the database
    with process([sys.executable, "-m", "jarvis", "serve"], env) as server, \
            process(bare_args) as bare_server:
        await wait_until_up(f"{base}/health", server=server)
        await wait_until_up(f"{bare_base}/health", server=bare_server)
        # The agents come after the status figures: the scheduler's work on 1,000 new agents
        # would weigh on those.
        creds = await login(base)
        both = (bare_server, server)
        pairs = {
            "health": await _pair(both, f"{bare_base}/health", f"{base}/health", {}, seconds),
            "status_cookie": await _pair(both, f"{bare_base}/api/status", f"{base}/api/status",
                                         creds.cookie_headers, seconds),
            "status_api_key": await _pair(both, f"{bare_base}/api/status",
                                          f"{base}/api/status", creds.key_headers, seconds),
        }
        await _add_listing(base, data_dir, creds, agents)
        pairs["list"] = await _pair(both, f"{bare_base}/api/agents", f"{base}/api/agents",
                                    creds.key_headers, seconds, concurrency=8)
        server.check_alive()
    return pairs


def _figures(pairs: dict[str, tuple[dict, dict]], agents: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, (bare, jarvis) in pairs.items():
        if name == "list":
            out["list_rows"] = agents
        digits = 1 if name == "list" else None
        out[f"bare_{name}_rps"] = round(bare["rps"], digits)
        out[f"jarvis_{name}_rps"] = round(jarvis["rps"], digits)
        out[f"{name}_ratio"] = round(jarvis["rps"] / bare["rps"], 3)
        out[f"jarvis_{name}_p99_ms"] = round(jarvis["p99_ms"], 1)
        out[f"bare_{name}_cpu_us"] = round(bare["cpu_us"], 1)
        out[f"jarvis_{name}_cpu_us"] = round(jarvis["cpu_us"], 1)
        if jarvis["cpu_us"] > 0:
            out[f"{name}_cpu_ratio"] = round(bare["cpu_us"] / jarvis["cpu_us"], 3)
    out["errors"] = sum(r["errors"] for pair in pairs.values() for r in pair)
    return out


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    """Requests per second through Jarvis and through the bare app, and their ratios."""
    seconds, agents = _sizes(quick, smoke)
    with tempfile.TemporaryDirectory() as tmp:
        pairs = await _measure(seconds, agents, Path(tmp), database_url)
    return _figures(pairs, agents)
