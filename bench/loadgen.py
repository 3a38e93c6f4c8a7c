"""A closed-loop HTTP load generator, run as its own process so it does not share the server's
core: ``python -m bench.loadgen URL --seconds 5 --concurrency 32 [--header 'K: V']``.

It speaks plain HTTP/1.1 keep-alive over asyncio protocols, several times cheaper per request
than a full client library, so the bare baseline server is the bottleneck, not the client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from urllib.parse import urlsplit


class _Connection(asyncio.Protocol):
    """One keep-alive connection sending the same request again as each answer completes."""

    def __init__(self, request: bytes, stats: Stats):
        self.request = request
        self.stats = stats
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.sent_at = 0.0
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self._send()

    def _send(self) -> None:
        if time.perf_counter() >= self.stats.deadline or self.transport is None:
            if self.transport is not None:
                self.transport.close()
            return
        self.sent_at = time.perf_counter()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            size = _response_size(self.buffer)
            if size is None:
                return
            status = int(self.buffer[9:12])
            del self.buffer[:size]
            self.stats.record(time.perf_counter() - self.sent_at, status)
            self._send()

    def connection_lost(self, exc: Exception | None) -> None:
        if time.perf_counter() < self.stats.deadline:
            self.stats.errors.append(0)  # the server dropped the connection mid-run
        if not self.closed.done():
            self.closed.set_result(None)


def _response_size(buf: bytearray) -> int | None:
    """The length of the first complete response in ``buf``, or None while it is incomplete."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).lower()
    start = head.find(b"\r\ncontent-length:")
    if start >= 0:
        line_end = head.find(b"\r\n", start + 2)
        length = int(head[start + 17: line_end if line_end >= 0 else None])
        total = end + 4 + length
        return total if len(buf) >= total else None
    if b"transfer-encoding: chunked" in head:
        last = buf.find(b"\r\n0\r\n\r\n", end)
        return last + 7 if last >= 0 else None
    return end + 4  # no body


class Stats:
    def __init__(self, deadline: float):
        self.deadline = deadline
        self.latencies: list[float] = []
        self.errors: list[int] = []

    def record(self, latency: float, status: int) -> None:
        self.latencies.append(latency)
        if status != 200:
            self.errors.append(status)


async def _run(host: str, port: int, request: bytes, seconds: float, concurrency: int) -> Stats:
    loop = asyncio.get_running_loop()
    stats = Stats(time.perf_counter() + seconds)
    conns = []
    for _ in range(concurrency):
        _transport, proto = await loop.create_connection(
            lambda: _Connection(request, stats), host, port)
        conns.append(proto)
    try:  # a server that stops answering must not hang the benchmark
        await asyncio.wait_for(asyncio.gather(*(c.closed for c in conns)), seconds + 30)
    except TimeoutError:
        stats.errors.append(0)
        for conn in conns:
            if conn.transport is not None:
                conn.transport.abort()
    return stats


async def measure(url: str, seconds: float, concurrency: int, headers: dict[str, str],
                  warmup: float = 0.5) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path or '/'} HTTP/1.1", f"Host: {parts.netloc}",
             *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if warmup > 0:  # open connections and let the server settle
        await _run(host, port, request, warmup, concurrency)
    start = time.perf_counter()
    stats = await _run(host, port, request, seconds, concurrency)
    elapsed = time.perf_counter() - start
    lat = sorted(stats.latencies)
    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50_ms": statistics.median(lat) * 1000 if lat else None,
        "p99_ms": lat[max(0, int(len(lat) * 0.99) - 1)] * 1000 if lat else None,
        "errors": len(stats.errors),
        "first_error_status": stats.errors[0] if stats.errors else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds before measuring")
    parser.add_argument("--header", action="append", default=[], help="'Name: value'")
    args = parser.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    figures = asyncio.run(measure(args.url, args.seconds, args.concurrency, headers, args.warmup))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
