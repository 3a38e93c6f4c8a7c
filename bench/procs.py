"""Servers in their own processes, and the load generator against them."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

import aiohttp

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_until_up(url: str, timeout: float = 60.0) -> float:
    """Poll until ``url`` answers 200; return the seconds it took."""
    start = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - start
            except aiohttp.ClientError:
                pass
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"{url} did not come up within {timeout} s")
            await asyncio.sleep(0.01)


@contextmanager
def process(args: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(args, env={**os.environ, **(env or {})}, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def jarvis_env(data_dir: Path, port: int, database_url: str | None = None) -> dict[str, str]:
    env = {"JARVIS_DATA_DIR": str(data_dir), "JARVIS_PORT": str(port), "JARVIS_LOG_LEVEL": "WARNING"}
    if database_url:
        env["JARVIS_DATABASE_URL"] = database_url
    return env


async def load(url: str, seconds: float, concurrency: int = 32, headers: dict[str, str] | None = None) -> dict:
    """Run the load generator in a separate process and return its figures."""
    args = [sys.executable, "-m", "bench.loadgen", url, "--seconds", str(seconds),
            "--concurrency", str(concurrency)]
    for key, value in (headers or {}).items():
        args += ["--header", f"{key}: {value}"]
    proc = await asyncio.create_subprocess_exec(*args, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return json.loads(out)
