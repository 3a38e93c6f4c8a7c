"""Start-up time: from spawning ``jarvis serve`` to its first answered /health, against the same
for the bare aiohttp app (the interpreter and aiohttp alone); and, from one more start under
``-X importtime``, what the imports cost and which packages cost the most.

Both sides run with their bytecode cached (in a temporary cache, filled by a first start of
each), as an installed server does: with PYTHONDONTWRITEBYTECODE set, every start would
compile every module again and measure the compiler.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .procs import free_port, jarvis_env, process, wait_until_up

NAME = "startup"
TOP = 8  # the packages reported by import time
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*([\w.]+)")


async def _once(args: list[str], env: dict[str, str] | None, port: int) -> float:
    start = time.perf_counter()
    with process(args, env) as server:
        await wait_until_up(f"http://127.0.0.1:{port}/health", server=server)
        return time.perf_counter() - start


def bytecode_env(cache: Path) -> dict[str, str]:
    """The environment of a child whose bytecode is written to, and read from, ``cache``."""
    return {"PYTHONPYCACHEPREFIX": str(cache), "PYTHONDONTWRITEBYTECODE": ""}


async def _jarvis(data_dir: Path, python: dict[str, str]) -> float:
    port = free_port()
    return await _once([sys.executable, "-m", "jarvis", "serve"],
                       {**python, **jarvis_env(data_dir, port)}, port)


def import_costs(log: str) -> dict[str, float]:
    """Seconds of import per top-level package (each module's own time, summed), from the
    ``-X importtime`` lines of ``log``, most expensive first."""
    costs: dict[str, float] = {}
    for match in _IMPORT_LINE.finditer(log):
        package = match[2].split(".")[0]
        costs[package] = costs.get(package, 0.0) + int(match[1]) / 1e6
    return dict(sorted(costs.items(), key=lambda item: -item[1]))


async def _imports(data_dir: Path, python: dict[str, str]) -> dict[str, float]:
    """The figures of one start under ``-X importtime``, up to the first /health."""
    port = free_port()
    args = [sys.executable, "-X", "importtime", "-m", "jarvis", "serve"]
    with process(args, {**python, **jarvis_env(data_dir, port)}) as server:
        await wait_until_up(f"http://127.0.0.1:{port}/health", server=server)
        costs = import_costs(server.log.read_text(errors="replace"))
    figures = {"import_total_s": round(sum(costs.values()), 3)}
    for package, seconds in list(costs.items())[:TOP]:
        figures[f"import_s_{package}"] = round(seconds, 3)
    return figures


async def _bare(python: dict[str, str]) -> float:
    port = free_port()
    return await _once([sys.executable, "-m", "bench.bare_app", str(port)], python, port)


async def run(quick: bool, *, smoke: bool = False) -> dict:
    """First start (creates the database, compiles), then the median of later starts."""
    rounds = 1 if smoke else 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        python = bytecode_env(Path(cache))
        fresh = await _jarvis(Path(tmp), python)
        await _bare(python)  # compiles the bare app's modules
        warm, bare = [], []
        for _ in range(rounds):  # alternating, so a busy moment hits both
            bare.append(await _bare(python))
            warm.append(await _jarvis(Path(tmp), python))
        imports = await _imports(Path(tmp), python)
    median = statistics.median(warm)
    return {
        "bare_start_s": round(statistics.median(bare), 3),
        "first_start_s": round(fresh, 3),
        "start_median_s": round(median, 3),
        "start_max_s": round(max(warm), 3),
        "start_ratio": round(median / statistics.median(bare), 2),
        **imports,
    }
