"""Start-up time: from spawning ``jarvis serve`` to its first answered /health, against the same
for the bare aiohttp app (the interpreter and aiohttp alone)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from .procs import free_port, jarvis_env, process, wait_until_up

NAME = "startup"


async def _once(args: list[str], env: dict[str, str] | None, port: int) -> float:
    start = time.perf_counter()
    with process(args, env) as server:
        await wait_until_up(f"http://127.0.0.1:{port}/health", server=server)
        return time.perf_counter() - start


async def _jarvis(data_dir: Path) -> float:
    port = free_port()
    return await _once([sys.executable, "-m", "jarvis", "serve"], jarvis_env(data_dir, port), port)


async def _bare() -> float:
    port = free_port()
    return await _once([sys.executable, "-m", "bench.bare_app", str(port)], None, port)


async def run(quick: bool, *, smoke: bool = False) -> dict:
    """First start (creates the database), then the median of later starts."""
    rounds = 1 if smoke else 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        fresh = await _jarvis(Path(tmp))
        warm, bare = [], []
        for _ in range(rounds):  # alternating, so a busy moment hits both
            bare.append(await _bare())
            warm.append(await _jarvis(Path(tmp)))
    median = statistics.median(warm)
    return {
        "bare_start_s": round(statistics.median(bare), 3),
        "first_start_s": round(fresh, 3),
        "start_median_s": round(median, 3),
        "start_max_s": round(max(warm), 3),
        "start_ratio": round(median / statistics.median(bare), 2),
    }
