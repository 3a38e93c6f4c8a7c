"""Start-up time: from spawning ``jarvis serve`` to its first answered /health."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from .procs import free_port, jarvis_env, process, wait_until_up

NAME = "startup"


async def _once(data_dir: Path) -> float:
    port = free_port()
    start = time.perf_counter()
    with process([sys.executable, "-m", "jarvis", "serve"], jarvis_env(data_dir, port)):
        await wait_until_up(f"http://127.0.0.1:{port}/health")
        return time.perf_counter() - start


async def run(quick: bool) -> dict:
    rounds = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        fresh = await _once(Path(tmp))  # creates the database
        warm = sorted([await _once(Path(tmp)) for _ in range(rounds)])
    return {
        "first_start_s": round(fresh, 3),
        "start_median_s": round(warm[len(warm) // 2], 3),
        "start_max_s": round(warm[-1], 3),
    }
