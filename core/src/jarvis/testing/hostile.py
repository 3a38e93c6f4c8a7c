"""Stand-ins for hostile-server tests: a loopback service that must stay unreachable (it records
every request and answers with a secret in its body), and a catch-all app for any handler.

    internal = await Internal.serve(aiohttp_server)     # on 127.0.0.1:internal.port
    ...                                  # make the plugin's server point at that port
    assert internal.requests == [] and Internal.BODY not in error
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Self

from aiohttp import web

__all__ = ["Internal", "serve_all"]


class Internal:
    """A service on the server's own loopback: records ``METHOD path headers`` of each request
    and answers 500 with :attr:`BODY` in the body, which no user may ever see."""

    BODY = "INTERNAL-SECRET admin token 0xC0FFEE"

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.port = 0  # where :meth:`serve` listens

    @classmethod
    async def serve(cls, aiohttp_server: Any) -> Self:
        """A new one, listening on 127.0.0.1 (``aiohttp_server`` is pytest-aiohttp's fixture)."""
        found = cls()
        found.port = await serve_all(aiohttp_server, found.handle)
        return found

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(f"{request.method} {request.path} {dict(request.headers)}")
        return web.Response(status=500, text=self.BODY)


async def serve_all(aiohttp_server: Any,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> int:
    """Serve ``handler`` for every method and path on 127.0.0.1; returns the port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return (await aiohttp_server(app, host="127.0.0.1")).port
