"""An admin login and an API key on a benchmark server."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import aiohttp

USERNAME = "bench-admin"
PASSWORD = "bench-password-1234"


@dataclass
class Credentials:
    cookie_headers: dict[str, str]
    key_headers: dict[str, str]


async def admin_credentials(base: str, data_dir: Path, env: dict[str, str]) -> Credentials | None:
    """Create an admin with the CLI, log in for a cookie and make an API key; None when the
    server has no login yet."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "jarvis", "user", "create", "--admin", "--username", USERNAME,
        "--password-stdin", env={**os.environ, **env},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate(PASSWORD.encode() + b"\n")
    if proc.returncode != 0:
        return None
    async with aiohttp.ClientSession(headers={"Origin": base}) as session:
        async with session.post(f"{base}/api/auth/login", json={"username": USERNAME, "password": PASSWORD}) as resp:
            if resp.status != 200:
                return None
        cookie = "; ".join(f"{c.key}={c.value}" for c in session.cookie_jar)
        async with session.post(f"{base}/api/my/api-keys", json={"name": "bench"}) as resp:
            key = (await resp.json())["key"]
    return Credentials({"Cookie": cookie}, {"X-API-Key": key})
