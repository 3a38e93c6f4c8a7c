"""Fixtures for the MCP plugin: real MCP servers (the npm reference servers over stdio, and an
SDK server over HTTP in a child process on loopback), and an app whose guarded client may reach
that one port."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jarvis_mcp
import pytest
from jarvis.testing.clients import JarvisClient
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, loopback_http
from jarvis.testing.servers import ServerProcess, free_port

SUPPORT = Path(__file__).resolve().parents[2] / "support"
NPM_FOLDER = SUPPORT / "mcp-servers"
MODULES = NPM_FOLDER / "node_modules" / "@modelcontextprotocol"
FAST = {"retry_min": 0.1, "retry_max": 0.5, "ping_interval": 0.3, "sync_interval": 0.5,
        "connect_timeout": 15, "refresh_interval": 60}


@pytest.fixture(scope="session")
def npm_servers() -> Path:
    """The reference servers from the npm registry, installed from the lock file once."""
    if not (MODULES / "server-filesystem").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed for the MCP reference servers (install Node.js)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NPM_FOLDER, check=True,
                       capture_output=True, timeout=600)
    return MODULES


def node_command(npm_servers: Path, which: str, *args: str) -> dict[str, Any]:
    """The command and args of an npm reference server over stdio."""
    return {"command": shutil.which("node") or "node",
            "args": [str(npm_servers / which / "dist" / "index.js"), *args]}


@dataclass
class NotesServer:
    """The SDK server in its child process, and what reached it."""

    process: ServerProcess
    calls_file: Path

    @property
    def port(self) -> int:
        return self.process.port

    def url(self, path: str = "/mcp") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def calls(self, tool: str | None = None) -> list[dict[str, Any]]:
        if not self.calls_file.exists():
            return []
        found = [json.loads(line) for line in self.calls_file.read_text().splitlines()]
        return [c for c in found if tool is None or c["tool"] == tool]


def notes_process(tmp_path: Path, transport: str = "streamable-http",
                  port: int | None = None) -> NotesServer:
    port, calls = port or free_port(), tmp_path / f"calls-{transport}.jsonl"
    argv = [sys.executable, str(SUPPORT / "mcp_http_server.py"), str(port), str(calls), transport]
    return NotesServer(ServerProcess(f"mcp-{transport}", argv, port,
                                     tmp_path / f"mcp-{transport}.log"), calls)


@pytest.fixture
def notes_port() -> int:
    """The notes server's port, known before the app starts (its guard allows only it)."""
    return free_port()


@pytest.fixture
async def notes(tmp_path, notes_port) -> AsyncIterator[NotesServer]:
    server = notes_process(tmp_path, port=notes_port)
    await server.process.start()
    yield server
    await server.process.stop()


@pytest.fixture
def model():
    from jarvis.testing.scripted import ScriptedProvider

    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_mcp, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS, "plugins": {"mcp": dict(FAST)}}


@pytest.fixture
def jarvis_outbound_http(notes_port):
    """Only the notes server's port is allowed on loopback (the test-only allowance)."""
    return loopback_http(notes_port, timeout=10.0)


async def ok(resp: Any, status: int = 200) -> Any:
    body = await resp.json()
    assert resp.status == status, body
    return body


async def add_server(client: JarvisClient, status: int = 201, **body: Any) -> dict[str, Any]:
    return await ok(await client.post("/api/mcp-servers", json=body), status)


async def wait_status(client: JarvisClient, server_id: str, *states: str,
                      within: float = 20.0, tools: bool = False) -> dict[str, Any]:
    """Poll the live status until it is one of ``states`` (with tools, when asked)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        status = await ok(await client.get(f"/api/mcp-servers/{server_id}/status"))
        if status["state"] in states and (status["tools"] or not tools):
            return status
        assert loop.time() < deadline, f"status stayed {status}"
        await asyncio.sleep(0.1)
