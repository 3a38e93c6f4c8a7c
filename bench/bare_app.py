"""The baseline: a bare aiohttp app answering the same JSON as Jarvis's /health, /api/status and
(from a file of it, read at the first request) /api/agents:
``python -m bench.bare_app PORT [AGENTS_JSON]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aiohttp import web

AGENTS: web.AppKey[list] = web.AppKey("agents", list)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def status(request: web.Request) -> web.Response:
    return web.json_response({"paused": False, "agent_name": "Jarvis"})


def _read_listing(listing: list) -> None:
    if not listing and len(sys.argv) > 2:  # written once Jarvis has the agents: read it late
        listing.extend(json.loads(Path(sys.argv[2]).read_text()))


async def agents(request: web.Request) -> web.Response:
    listing = request.app[AGENTS]
    _read_listing(listing)
    # serialised on every request, as a real handler would
    return web.json_response(listing)


def main() -> None:
    app = web.Application()
    app[AGENTS] = []
    app.router.add_get("/health", health)
    app.router.add_get("/api/status", status)
    app.router.add_get("/api/agents", agents)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
