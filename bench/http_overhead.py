"""HTTP overhead: Jarvis's /health, authenticated /api/status (by cookie and by API key) and
``GET /api/agents`` listing 1,000 agents, each against a bare aiohttp app answering the same
JSON. Every server runs in its own process; the load comes from another process. Figures:
requests per second (``*_rps``), Jarvis over bare (``*_ratio``), Jarvis's p99 latency."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

from .procs import free_port, jarvis_env, load, process, wait_until_up
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


async def _prepare(base: str, data_dir: Path, agents: int):
    """A login (cookie and API key) and ``agents`` agents; their listing saved for the bare app."""
    creds = await login(base)
    await add_agents(base, creds, agents)
    listing = await _fetch_json(f"{base}/api/agents", creds.key_headers)
    if len(listing) != agents:
        raise BenchSetupError(f"GET /api/agents listed {len(listing)} of {agents} agents")
    (data_dir / "agents.json").write_text(json.dumps(listing))
    return creds


def _merge(first: dict, second: dict) -> dict:
    """Two halves of one measurement: the mean rate and the worse p99."""
    return {"rps": (first["rps"] + second["rps"]) / 2,
            "p99_ms": max(first["p99_ms"] or 0.0, second["p99_ms"] or 0.0),
            "errors": first["errors"] + second["errors"]}


async def _pair(bare_url: str, jarvis_url: str, headers: dict[str, str], seconds: float,
                concurrency: int = 32) -> tuple[dict, dict]:
    """Bare, Jarvis, Jarvis, bare, half the time each, so a drift in the machine's load (other
    work, a background task) weighs on both alike."""
    half = seconds / 2
    bare = [await load(bare_url, half, concurrency)]
    jarvis = [await load(jarvis_url, half, concurrency, headers) for _ in range(2)]
    bare.append(await load(bare_url, half, concurrency))
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
        creds = await _prepare(base, data_dir, agents)
        pairs = {
            "health": await _pair(f"{bare_base}/health", f"{base}/health", {}, seconds),
            "status_cookie": await _pair(f"{bare_base}/api/status", f"{base}/api/status",
                                         creds.cookie_headers, seconds),
            "status_api_key": await _pair(f"{bare_base}/api/status", f"{base}/api/status",
                                          creds.key_headers, seconds),
            "list": await _pair(f"{bare_base}/api/agents", f"{base}/api/agents",
                                creds.key_headers, seconds, concurrency=8),
        }
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
    out["errors"] = sum(r["errors"] for pair in pairs.values() for r in pair)
    return out


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    """Requests per second through Jarvis and through the bare app, and their ratios."""
    seconds, agents = _sizes(quick, smoke)
    with tempfile.TemporaryDirectory() as tmp:
        pairs = await _measure(seconds, agents, Path(tmp), database_url)
    return _figures(pairs, agents)
