"""Fixtures for the outbound guard tests: loopback servers and scripted DNS answers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.test_utils import TestServer


class ScriptedResolver(AbstractResolver):
    """Answers each name with the next list from a script; the last list repeats."""

    def __init__(self, script: dict[str, list[list[str]]]) -> None:
        self.script = script
        self.calls: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.calls.append(host)
        answers = self.script.get(host.rstrip("."))
        if not answers:
            raise OSError(f"no such host {host}")
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET6 if ":" in address else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for address in addresses
        ]

    async def close(self) -> None:
        return None


class Recorder:
    """A loopback HTTP server whose routes record every request they receive."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.hits: list[web.Request] = []

    @property
    def port(self) -> int:
        return self.server.port

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def make_resolver() -> Callable[[dict[str, list[list[str]]]], ScriptedResolver]:
    """``make_resolver({"name": [[first answer], [second answer]]})``: scripted DNS."""
    return ScriptedResolver


MakeServer = Callable[[Callable[[web.Application], None]], Awaitable[Recorder]]


@pytest.fixture
def make_server(aiohttp_server) -> MakeServer:
    """``await make_server(add_routes)``: a loopback server; ``add_routes(app)`` fills it."""

    async def make(add_routes: Callable[[web.Application], None]) -> Recorder:
        app = web.Application()
        recorder_box: list[Recorder] = []

        @web.middleware
        async def record(request: web.Request, handler):
            recorder_box[0].hits.append(request)
            return await handler(request)

        app.middlewares.append(record)
        add_routes(app)
        server = await aiohttp_server(app, host="127.0.0.1")
        recorder = Recorder(server)
        recorder_box.append(recorder)
        return recorder

    return make


@pytest.fixture
async def hello_server(make_server) -> Recorder:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hello from loopback")

    async def echo_headers(request: web.Request) -> web.Response:
        return web.json_response({"method": request.method, "headers": dict(request.headers)})

    async def forever(request: web.Request) -> web.Response:
        await asyncio.Event().wait()
        return web.Response()

    def routes(app: web.Application) -> None:
        app.router.add_get("/", hello)
        app.router.add_route("*", "/echo", echo_headers)
        app.router.add_get("/slow", forever)

    return await make_server(routes)
