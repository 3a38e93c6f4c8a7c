"""Fixtures for the MCP plugin: real MCP servers (the npm reference servers over stdio, and an
SDK server over HTTP in a child process on loopback), and an app whose guarded client may reach
that one port."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jarvis_mcp
import pytest
from jarvis.testing.clients import JarvisClient
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, loopback_http
from jarvis.testing.servers import free_port

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


class NotesServer:
    """The SDK server in a child process on a fixed loopback port (shared by a module: it takes
    seconds to start), and what reached it (cleared for every test)."""

    def __init__(self, folder: Path, transport: str = "streamable-http"):
        self.port = free_port()
        self.calls_file = folder / f"calls-{transport}.jsonl"
        self.log_path = folder / f"mcp-{transport}.log"
        self.argv = [sys.executable, str(SUPPORT / "mcp_http_server.py"), str(self.port),
                     str(self.calls_file), transport]
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, path: str = "/mcp") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def calls(self, tool: str | None = None) -> list[dict[str, Any]]:
        if not self.calls_file.exists():
            return []
        found = [json.loads(line) for line in self.calls_file.read_text().splitlines()]
        return [c for c in found if tool is None or c["tool"] == tool]

    def start(self, ready_within: float = 90.0) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=log)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the MCP test server exited: {self.log_path.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the MCP test server did not listen: {self.log_path.read_text()}")

    def stop(self) -> None:
        """Kill it (a crash, not a shutdown): connections and calls in flight are cut."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture(scope="module")
def notes_module(tmp_path_factory) -> Iterator[NotesServer]:
    yield from serving(NotesServer(tmp_path_factory.mktemp("mcp-notes")))


def serving(server: NotesServer) -> Iterator[NotesServer]:
    """A module fixture's body: the server runs while the fixture is in use."""
    server.start()
    yield server
    server.stop()


@pytest.fixture
def notes_port(notes_module) -> int:
    """The notes server's port, known before the app starts (its guard allows only it)."""
    return notes_module.port


@pytest.fixture
def notes(notes_module) -> NotesServer:
    if notes_module.process is None:
        notes_module.start()
    notes_module.calls_file.unlink(missing_ok=True)
    return notes_module


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
