"""``python -m bench [--quick | --smoke] [--only NAME ...] [--database WHICH] [--json PATH]``:
run the benchmarks, print a table and write the same figures as JSON.

Each module in MODULES has NAME and ``async def run(quick: bool, ...) -> dict`` of figures; it
may also accept ``smoke`` (the smallest sizes, for the smoke test) and ``database_url`` (None:
SQLite in a temporary folder). Modules that take ``database_url`` run once per database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import inspect
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from .databases import database, postgresql_reachable

MODULES = [
    "bench.http_overhead",
    "bench.peers",
    "bench.startup",
    "bench.runtime_loop",
    "bench.ws_chat",
    "bench.audit",
    "bench.listings",
    "bench.scheduler",
    "bench.injection",
    "bench.web_ui",
    "bench.mcp_call",
]


def _accepts(module: ModuleType, name: str) -> bool:
    return name in inspect.signature(module.run).parameters


def result_name(module: ModuleType, db: str) -> str:
    return f"{module.NAME}[{db}]" if _accepts(module, "database_url") else module.NAME


async def databases_to_use(choice: str) -> list[str]:
    """``auto``: SQLite, and PostgreSQL too when it is reachable."""
    if choice == "auto":
        return ["sqlite", "postgresql"] if await postgresql_reachable() else ["sqlite"]
    if choice == "both":
        return ["sqlite", "postgresql"]
    return [choice]


async def run_one(module: ModuleType, quick: bool, smoke: bool, db: str) -> dict[str, Any]:
    """One benchmark on one database; a failure becomes an ``error`` figure, not an abort."""
    kwargs: dict[str, Any] = {}
    if _accepts(module, "smoke"):
        kwargs["smoke"] = smoke
    start = time.perf_counter()
    try:
        if _accepts(module, "database_url"):
            async with database(db) as url:
                figures = await module.run(quick or smoke, database_url=url, **kwargs)
            figures.setdefault("database", db)
        else:
            figures = await module.run(quick or smoke, **kwargs)
    except Exception as err:
        traceback.print_exc()
        figures = {"error": f"{type(err).__name__}: {err}"}
    figures["bench_seconds"] = round(time.perf_counter() - start, 1)
    return figures


async def run_all(names: list[str] | None = None, *, quick: bool = False, smoke: bool = False,
                  databases: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every selected benchmark, on every database it cares about, one after another."""
    results: dict[str, dict[str, Any]] = {}
    for dotted in MODULES:
        module = importlib.import_module(dotted)
        if names and module.NAME not in names:
            continue
        for db in (databases or ["sqlite"]) if _accepts(module, "database_url") else ["-"]:
            name = result_name(module, db)
            mode = "smoke" if smoke else "quick" if quick else "full"
            print(f"running {name} ({mode}) ...", file=sys.stderr, flush=True)
            results[name] = await run_one(module, quick, smoke, db)
    return results


def table(results: dict[str, dict[str, Any]]) -> str:
    """Figures as text, a benchmark's databases side by side."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for name, figures in results.items():
        bench, _, db = name.partition("[")
        groups.setdefault(bench, {})[db.rstrip("]") or ""] = figures
    lines: list[str] = []
    for bench, by_db in groups.items():
        keys = list(dict.fromkeys(k for figures in by_db.values() for k in figures))
        width = max(len(k) for k in keys) + 2
        cols = list(by_db)
        lines.append("")
        lines.append(f"{bench:<{width}}" + "".join(f"{c:>14}" for c in cols if c))
        for key in keys:
            cells = "".join(f"{_cell(by_db[c].get(key)):>14}" for c in cols)
            lines.append(f"  {key:<{width - 2}}{cells}")
    return "\n".join(lines).lstrip("\n")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    text = str(value)
    return text if len(text) <= 13 else text[:12] + "…"


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages (other work on the machine skews the figures)."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []


def report(results: dict[str, dict[str, Any]], mode: str, databases: list[str],
           command: str, started: str, load_before: list[float]) -> dict[str, Any]:
    return {
        "command": command,
        "mode": mode,
        "date": started,
        "databases": databases,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_average_before": load_before,
                    "load_average_after": load_average()},
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs (under a minute each)")
    parser.add_argument("--smoke", action="store_true",
                        help="the smallest sizes: checks that every benchmark still works")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="benchmark names to run")
    parser.add_argument("--database", choices=["auto", "sqlite", "postgresql", "both"],
                        default="auto",
                        help="where database benchmarks run (auto: both when PostgreSQL is "
                             "reachable at 127.0.0.1:5432 or BENCH_PG_URL)")
    parser.add_argument("--json", type=Path, default=Path("bench/results/latest.json"))
    args = parser.parse_args()
    known = sorted(importlib.import_module(m).NAME for m in MODULES)
    unknown = sorted(set(args.only or []) - set(known))
    if unknown:
        parser.error(f"--only: no benchmark named {', '.join(unknown)} (known: {', '.join(known)})")
    started, load_before = now(), load_average()
    dbs = asyncio.run(databases_to_use(args.database))
    results = asyncio.run(run_all(args.only, quick=args.quick, smoke=args.smoke, databases=dbs))
    print(table(results))
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    command = " ".join(["python -m bench", *sys.argv[1:]])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    data = report(results, mode, dbs, command, started, load_before)
    args.json.write_text(json.dumps(data, indent=2))
    print(f"\nfigures written to {args.json}")
    if any("error" in figures for figures in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
