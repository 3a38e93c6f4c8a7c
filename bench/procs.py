"""Servers in their own processes, and the load generator against them."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
CHAT_MODEL = "fake:echo"  # the scripted model of the chat benchmark's server


class ServerFailed(RuntimeError):
    """A benchmark server exited or did not come up; the message ends with its last output."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A process whose standard error goes to a temporary file (a pipe nobody reads would
    stall a chatty server), so a failure can show what it said."""

    def __init__(self, proc: subprocess.Popen, log: Path):
        self.proc = proc
        self.log = log

    @property
    def pid(self) -> int:
        return self.proc.pid

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise ServerFailed(f"the server exited with {self.proc.returncode}:\n{self.tail()}")


async def wait_until_up(url: str, within: float = 60.0, server: Server | None = None) -> float:
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
            if server is not None:
                server.check_alive()
            if time.perf_counter() - start > within:
                tail = f":\n{server.tail()}" if server is not None else ""
                raise ServerFailed(f"{url} did not come up within {within} s{tail}")
            await asyncio.sleep(0.01)


@contextmanager
def process(args: list[str], env: dict[str, str] | None = None,
            stdout: int | None = subprocess.DEVNULL) -> Iterator[Server]:
    """Run ``args`` from the repository root; terminate it (then kill it) on the way out."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "stderr.log"
        with log.open("wb") as err:
            proc = subprocess.Popen(args, env={**os.environ, **(env or {})}, cwd=ROOT,
                                    stdout=stdout, stderr=err)
        try:
            yield Server(proc, log)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def jarvis_env(data_dir: Path, port: int, database_url: str | None = None) -> dict[str, str]:
    env = {"JARVIS_DATA_DIR": str(data_dir), "JARVIS_PORT": str(port),
           "JARVIS_LOG_LEVEL": "WARNING"}
    if database_url:
        env["JARVIS_DATABASE_URL"] = database_url
    return env


async def load(url: str, seconds: float, concurrency: int = 32,
               headers: dict[str, str] | None = None, warmup: float | None = None) -> dict:
    """Run the load generator in a separate process and return its figures (warm-up: half a
    second, or a quarter of ``seconds`` when that is shorter)."""
    warmup = min(0.5, seconds / 4) if warmup is None else warmup
    args = [sys.executable, "-m", "bench.loadgen", url, "--seconds", str(seconds),
            "--concurrency", str(concurrency), "--warmup", str(warmup)]
    for key, value in (headers or {}).items():
        args += ["--header", f"{key}: {value}"]
    proc = await asyncio.create_subprocess_exec(*args, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"the load generator failed against {url}")
    return json.loads(out)


def peak_memory_kb(pid: int) -> dict[str, int]:
    """VmHWM (peak resident) and VmRSS (resident now) of a process, in kB (Linux)."""
    out: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, in seconds (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raise_open_files_limit() -> None:
    """A thousand sockets need more than the common default of 1,024 open files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
