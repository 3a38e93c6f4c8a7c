"""An admin login, an API key and 1,000 agents on a benchmark server."""

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


class BenchSetupError(RuntimeError):
    """The benchmark could not prepare the server (a user, a login, an API key, agents)."""


async def create_admin(data_dir: Path, env: dict[str, str]) -> None:
    """``jarvis user create USERNAME --admin --password-stdin`` on the server's data folder
    (it needs no running server, so it may run while the server starts)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "jarvis", "user", "create", USERNAME, "--admin",
        "--password-stdin", "--data-dir", str(data_dir), env={**os.environ, **env},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate(PASSWORD.encode() + b"\n")
    if proc.returncode != 0:
        raise BenchSetupError(f"jarvis user create failed: {err.decode().strip()}")


async def login(base: str) -> Credentials:
    """Log the admin in for a session cookie, and make an API key with that session (after
    confirming the password again)."""
    jar = aiohttp.CookieJar(unsafe=True)  # the default jar ignores cookies of IP addresses
    async with aiohttp.ClientSession(headers={"Origin": base}, cookie_jar=jar) as session:
        body = {"username": USERNAME, "password": PASSWORD}
        async with session.post(f"{base}/api/auth/login", json=body) as resp:
            if resp.status != 200:
                raise BenchSetupError(f"login answered {resp.status}: {await resp.text()}")
        cookie = "; ".join(f"{c.key}={c.value}" for c in session.cookie_jar)
        reauth = {"password": PASSWORD}  # creating a key in a session needs a fresh re-auth
        async with session.post(f"{base}/api/auth/reauth", json=reauth) as resp:
            if resp.status != 200:
                raise BenchSetupError(f"re-authentication answered {resp.status}")
        async with session.post(f"{base}/api/my/api-keys", json={"name": "bench"}) as resp:
            if resp.status != 201:
                raise BenchSetupError(f"new API key answered {resp.status}: {await resp.text()}")
            key = (await resp.json())["key"]
    return Credentials({"Cookie": cookie}, {"X-API-Key": key})


def agent_body(i: int) -> dict:
    """A plausible agent; its schedule fires on one day a year, so none runs mid-benchmark."""
    return {
        "name": f"agent {i}", "prompt": f"Summarise the news about topic {i} in three lines.",
        "schedule": f"{i % 60} {i % 24} {1 + i % 28} {1 + i % 12} *",
        "allowed_tools": [], "enabled": True,
    }


async def add_agents(base: str, creds: Credentials, count: int, concurrency: int = 8) -> None:
    """Create ``count`` agents through ``POST /api/agents``."""
    pending = iter(range(count))

    async def worker(session: aiohttp.ClientSession) -> None:
        for i in pending:
            async with session.post(f"{base}/api/agents", json=agent_body(i)) as resp:
                if resp.status != 201:
                    raise BenchSetupError(f"new agent answered {resp.status}: {await resp.text()}")

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(headers=creds.key_headers, connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
