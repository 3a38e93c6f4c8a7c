"""Jarvis beside the stack the peer products use (FastAPI on uvicorn, see bench.peer_fastapi)
and the bare aiohttp app, in one run: the authenticated ``/api/status`` (API key) and
``GET /api/agents`` listing 1,000 agents, over the same database. Figures: requests per
second of each, Jarvis over FastAPI (``*_vs_fastapi``) and each over bare aiohttp."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from .http_overhead import _merge, _prepare, _sizes
from .procs import free_port, jarvis_env, load, process, wait_until_up
from .session import create_admin

NAME = "peers"
PATHS = {"status_api_key": "/api/status", "list": "/api/agents"}


async def _three(urls: dict[str, str], headers: dict[str, str], seconds: float,
                 concurrency: int) -> dict[str, dict]:
    """Each server twice, half the time each, in the order a b c c b a: a drift in the
    machine's load weighs on all alike."""
    order = [*urls, *reversed(urls)]
    runs: dict[str, list[dict]] = {name: [] for name in urls}
    for name in order:
        runs[name].append(await load(urls[name], seconds / 2, concurrency, headers))
    return {name: _merge(*pair) for name, pair in runs.items()}


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    seconds, agents = _sizes(quick, smoke)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        port, bare_port, peer_port = free_port(), free_port(), free_port()
        env = jarvis_env(data_dir, port, database_url)
        url = database_url or f"sqlite+aiosqlite:///{(data_dir / 'jarvis.db').as_posix()}"
        bases = {"bare": f"http://127.0.0.1:{bare_port}", "fastapi": f"http://127.0.0.1:{peer_port}",
                 "jarvis": f"http://127.0.0.1:{port}"}
        await create_admin(data_dir, env)
        with process([sys.executable, "-m", "jarvis", "serve"], env) as server, \
                process([sys.executable, "-m", "bench.bare_app", str(bare_port),
                         str(data_dir / "agents.json")]) as bare, \
                process([sys.executable, "-m", "bench.peer_fastapi", str(peer_port), url]) as peer:
            for base, proc in zip(bases.values(), (bare, peer, server), strict=True):
                await wait_until_up(f"{base}/health", server=proc)
            creds = await _prepare(bases["jarvis"], data_dir, agents)
            figures: dict[str, Any] = {"list_rows": agents}
            for name, path in PATHS.items():
                rates = await _three({k: f"{b}{path}" for k, b in bases.items()},
                                     creds.key_headers, seconds, 8 if name == "list" else 32)
                for stack, rate in rates.items():
                    figures[f"{stack}_{name}_rps"] = round(rate["rps"], 1)
                figures[f"{name}_vs_fastapi"] = round(
                    rates["jarvis"]["rps"] / rates["fastapi"]["rps"], 3)
                figures[f"{name}_vs_bare"] = round(rates["jarvis"]["rps"] / rates["bare"]["rps"], 3)
                figures[f"fastapi_{name}_vs_bare"] = round(
                    rates["fastapi"]["rps"] / rates["bare"]["rps"], 3)
                figures.setdefault("errors", 0)
                figures["errors"] += sum(rate["errors"] for rate in rates.values())
            server.check_alive()
            peer.check_alive()
    return figures
