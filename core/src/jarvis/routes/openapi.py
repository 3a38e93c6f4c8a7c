"""``GET /api/openapi.json``: the description of every route, core and plugins alike."""

from __future__ import annotations

from aiohttp import web

from ..openapi import build_spec
from ..web import Access, Routes

routes = Routes("meta")


@routes.get("/api/openapi.json", access=Access.ANON, summary="The OpenAPI 3.1 description")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(build_spec(request.app))
