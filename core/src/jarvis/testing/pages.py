"""A page server for tools that fetch web pages: it listens on 127.0.0.1 but is reached under
test host names, which only the guarded client given by :meth:`Site.outbound_http` resolves.

    site = Site(["pages.example.org", "other.example.net"])
    server = await aiohttp_server(site.app({"/article": article}), host="127.0.0.1")
    site.port = server.port
    use_outbound_http(app, site.outbound_http())   # jarvis.testing.plugins
    site.url("/article", host="other.example.net")    # http://other.example.net:PORT/article
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from ..security import GuardedHttp
from .plugins import loopback_http

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LoopbackResolver(AbstractResolver):
    """Answers the test host names with 127.0.0.1, anything else with 'no such host'."""

    def __init__(self, hosts: Iterable[str]):
        self.hosts = frozenset(h.rstrip(".").lower() for h in hosts)

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        if host.rstrip(".").lower() not in self.hosts:
            raise OSError(f"no such host {host}")
        return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": socket.AF_INET,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]

    async def close(self) -> None:
        return None


class Site:
    """The page server's names and port, and every request it received ("host path?query")."""

    def __init__(self, hosts: Iterable[str]):
        self.hosts = tuple(hosts)  # the first is the default host of url()
        self.port = 0
        self.hits: list[str] = []

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or self.hosts[0]}:{self.port}{path}"

    def visited(self, host: str) -> list[str]:
        """The requests made under ``host``."""
        return [h for h in self.hits if h.split(" ")[0] == host]

    def app(self, pages: Mapping[str, Handler]) -> web.Application:
        """An app serving ``pages`` (GET handlers by path pattern) and recording every request."""

        @web.middleware
        async def record(request: web.Request, handler: Any) -> web.StreamResponse:
            self.hits.append(f"{request.host.split(':')[0]} {request.path_qs}")
            return await handler(request)

        app = web.Application(middlewares=[record])
        for path, handler in pages.items():
            app.router.add_get(path, handler)
        return app

    def outbound_http(self, **options: Any) -> GuardedHttp:
        """A guarded client that resolves the test names and may reach this server (and
        nothing else on loopback); ``options`` go to GuardedHttp."""
        return loopback_http(self.port, resolver=LoopbackResolver(self.hosts), **options)
