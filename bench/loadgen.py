"""A closed-loop HTTP load generator, run as its own process so it does not share the server's
core: ``python -m bench.loadgen URL --seconds 5 --concurrency 32 [--header K:V]``."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import aiohttp


async def _worker(session: aiohttp.ClientSession, url: str, deadline: float, lat: list[float], errors: list[int]):
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        async with session.get(url) as resp:
            await resp.read()
            if resp.status != 200:
                errors.append(resp.status)
        lat.append(time.perf_counter() - start)


async def measure(url: str, seconds: float, concurrency: int, headers: dict[str, str]) -> dict:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        # warm-up: open the connections and let the server settle
        warm: list[float] = []
        await asyncio.gather(*(_worker(session, url, time.perf_counter() + 0.5, warm, [])
                               for _ in range(concurrency)))
        lat: list[float] = []
        errors: list[int] = []
        start = time.perf_counter()
        await asyncio.gather(*(_worker(session, url, start + seconds, lat, errors)
                               for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    lat.sort()
    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50_ms": statistics.median(lat) * 1000 if lat else None,
        "p99_ms": lat[int(len(lat) * 0.99) - 1] * 1000 if lat else None,
        "errors": len(errors),
        "first_error_status": errors[0] if errors else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    print(json.dumps(asyncio.run(measure(args.url, args.seconds, args.concurrency, headers))))


if __name__ == "__main__":
    main()
