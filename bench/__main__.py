"""``python -m bench [--quick] [--only NAME ...] [--json PATH]``: run the benchmarks, print a
table and write the figures as JSON."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import platform
import time
from pathlib import Path

# Each module has NAME and ``async def run(quick: bool) -> dict`` of figures.
MODULES = ["bench.http_overhead", "bench.startup"]


def _table(results: dict[str, dict]) -> str:
    rows = [(bench, key, value) for bench, figures in results.items() for key, value in figures.items()]
    width = max((len(f"{b}.{k}") for b, k, _ in rows), default=10)
    return "\n".join(f"{f'{b}.{k}':<{width}}  {v}" for b, k, v in rows)


async def main_async(args: argparse.Namespace) -> dict:
    results: dict[str, dict] = {}
    for dotted in MODULES:
        module = importlib.import_module(dotted)
        if args.only and module.NAME not in args.only:
            continue
        start = time.perf_counter()
        print(f"running {module.NAME} ({'quick' if args.quick else 'full'}) ...", flush=True)
        figures = await module.run(args.quick)
        figures["bench_seconds"] = round(time.perf_counter() - start, 1)
        results[module.NAME] = figures
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="short runs (under a minute each)")
    parser.add_argument("--only", nargs="*", help="benchmark names to run")
    parser.add_argument("--json", type=Path, default=Path("bench/results/latest.json"))
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    print(_table(results))
    report = {
        "mode": "quick" if args.quick else "full",
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": __import__("os").cpu_count()},
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
