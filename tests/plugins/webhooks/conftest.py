"""Fixtures for the webhooks plugin: a receiver on loopback (a real aiohttp server recording
what reaches it), an app whose guarded client may reach it and nothing else on loopback, the
scripted model, and helpers for targets and signed inbound requests."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import jarvis_webhooks
import pytest
from aiohttp import web
from jarvis import GuardedHttp
from jarvis.testing.clients import JarvisClient, expect
from jarvis.testing.hostile import serve_all
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, loopback_http
from jarvis_webhooks.inbound import sign


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int = 0
    got: list[Received] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
async def receiver(aiohttp_server) -> Receiver:
    found = Receiver()

    async def handle(request: web.Request) -> web.StreamResponse:
        found.got.append(Received(request.method, request.path, dict(request.headers),
                                  await request.read()))
        if request.path == "/redirect":
            raise web.HTTPFound(found.url("/elsewhere"))
        if request.path == "/fail":
            return web.json_response({"error": "nope"}, status=500)
        if request.path == "/big":
            return web.Response(text="x" * 200_000)
        return web.json_response({"ok": True, "said": "thanks"})

    found.port = await serve_all(aiohttp_server, handle)
    return found


@pytest.fixture
def webhooks_config() -> dict[str, Any]:
    return {}


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_webhooks, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(webhooks_config) -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"webhooks": {"timeout": 5, **webhooks_config}}}


@pytest.fixture
def jarvis_outbound_http(receiver) -> GuardedHttp:
    return loopback_http(receiver.port)


async def add_target(admin: JarvisClient, status: int = 201, **fields: Any) -> dict[str, Any]:
    return await expect(await admin.post("/api/webhooks/targets", json=fields), status)


async def add_hook(client: JarvisClient, agent_id: str, status: int = 201,
                   **fields: Any) -> dict[str, Any]:
    await client.reauth()
    return await expect(await client.post("/api/webhooks/inbound", json={
        "agent_id": agent_id, "name": "CI", **fields}), status)


def signed(secret: str, body: bytes, at: float | None = None) -> dict[str, str]:
    """The headers of a correctly signed request sent at ``at`` (default: now)."""
    stamp = str(int(time.time() if at is None else at))
    return {"X-Jarvis-Timestamp": stamp, "X-Jarvis-Signature": sign(secret, stamp, body),
            "Content-Type": "application/json"}
