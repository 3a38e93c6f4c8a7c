"""Running `jarvis` commands in a child process against the test's database and data folder
(off the event loop, so a fake the test serves keeps answering)."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from ..vault.processes import jarvis_argv, jarvis_env, run_jarvis


@asynccontextmanager
async def serving(data_dir: Path, database: dict[str, Any], *args: str,
                  **env: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """`jarvis serve --port 0 ARGS` as a child with piped output; killed if still running."""
    child = await asyncio.create_subprocess_exec(
        *jarvis_argv(database, "serve", "--port", "0", *args),
        env=jarvis_env(data_dir, database, **env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        yield child
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()


class Commands:
    def __init__(self, data_dir: Path, database: dict[str, Any]):
        self.data_dir = data_dir
        self.database = database

    async def run(self, *args: str, stdin: str = "",
                  **env: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(
            run_jarvis, self.data_dir, self.database, *args, stdin=stdin, **env
        )

    async def ok(self, *args: str, stdin: str = "", **env: str) -> str:
        """Standard output of a command that must succeed."""
        done = await self.run(*args, stdin=stdin, **env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    async def refused(self, *args: str, stdin: str = "", **env: str) -> str:
        """The one stderr line of a command that must be refused (exit status 2)."""
        done = await self.run(*args, stdin=stdin, **env)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1, (args, done.stdout, done.stderr)
        return lines[0]
