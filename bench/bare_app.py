"""The baseline: a bare aiohttp app answering the same JSON as Jarvis's /health and /api/status."""

from __future__ import annotations

import sys

from aiohttp import web


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def status(request: web.Request) -> web.Response:
    return web.json_response({"paused": False, "agent_name": "Jarvis"})


def main() -> None:
    app = web.Application()
    app.router.add_get("/health", health)
    app.router.add_get("/api/status", status)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
