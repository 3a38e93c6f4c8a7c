"""One command as a child process: no shell unless asked, a time limit, capped output.

The child gets a session (and so a process group) of its own: on timeout or cancellation the
whole group is killed, grandchildren included, and nothing outlives the call.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
from dataclasses import dataclass
from pathlib import Path

CHUNK = 65_536


@dataclass(slots=True)
class Finished:
    """How a command ended. ``exit_code`` is None when it was killed at the time limit."""

    exit_code: int | None
    output: bytes  # stdout and stderr interleaved, at most the cap
    output_bytes: int  # everything it wrote, kept or not
    timed_out: bool

    @property
    def truncated(self) -> bool:
        return self.output_bytes > len(self.output)


def argv(command: str, shell_syntax: bool) -> list[str]:
    """The program and its arguments; ValueError for unbalanced quotes."""
    if shell_syntax:
        return ["/bin/sh", "-c", command]
    words = shlex.split(command)
    if not words:
        raise ValueError("the command is empty")
    return words


async def run(args: list[str], *, cwd: Path, limit: float, cap: int,
              env: dict[str, str]) -> Finished:
    """Run ``args`` in ``cwd`` with only ``env``; OSError when the program cannot start."""
    proc = await asyncio.create_subprocess_exec(
        *args, cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        start_new_session=True)
    kept = bytearray()
    total = 0

    async def drain() -> None:
        nonlocal total
        assert proc.stdout is not None
        while chunk := await proc.stdout.read(CHUNK):
            total += len(chunk)
            if len(kept) < cap:
                kept.extend(chunk[: cap - len(kept)])
        await proc.wait()

    timed_out = False
    try:
        async with asyncio.timeout(limit):
            await drain()
    except TimeoutError:
        timed_out = True
    finally:
        _kill_group(proc.pid)  # at the limit, on cancellation, and whatever it left running
        if proc.returncode is None:
            await asyncio.shield(proc.wait())
    return Finished(None if timed_out else proc.returncode, bytes(kept), total, timed_out)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
