"""``GET /`` (the interface), ``GET /ui/{file}`` (its files) and ``GET /api/ui/panels``."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, Field

from ..errors import NotFound
from ..keys import REGISTRY
from ..openapi import declared_routes, openapi_path
from ..plugins import section_routes
from ..web import Access, Routes, RouteSpec, current_user
from .assets import assets

routes = Routes("ui")


class AssetPath(BaseModel):
    file: str = Field(max_length=200, description="a file of the interface, e.g. js/app.js")


def _serve(request: web.Request, name: str) -> web.Response:
    asset = assets().get(name)
    if asset is None:
        raise NotFound(f"no interface file {name!r}")
    headers = {"ETag": asset.etag, "Cache-Control": "no-cache"}
    if request.headers.get("If-None-Match") == asset.etag:
        return web.Response(status=304, headers=headers)
    # the security headers (the strict Content-Security-Policy) come with every response
    return web.Response(body=asset.body, content_type=asset.content_type,
                        charset="utf-8" if asset.content_type.startswith("text") else None,
                        headers=headers)


@routes.get("/", access=Access.ANON, content_type="text/html",
            summary="The web interface (its pages live behind #/...)")
async def index(request: web.Request) -> web.Response:
    return _serve(request, "index.html")


@routes.get("/ui/{file:.+}", access=Access.ANON, path_params=AssetPath, errors=(304,),
            content_type="text/javascript",
            summary="A script, style sheet or icon of the interface")
async def asset(request: web.Request, path: AssetPath) -> web.Response:
    return _serve(request, path.file)


class SectionOut(BaseModel):
    kind: Literal["form", "list", "action"]
    title: str
    description: str
    path: str
    method: str
    delete: bool = False
    remove: str | None = None
    columns: list[str] = []
    label: str | None = None
    admin: bool = Field(False, description="one of its routes is for admins only")
    input_schema: dict[str, Any] | None = Field(
        description="JSON schema of the fields the user fills in (the route's body or query)")


class PanelOut(BaseModel):
    plugin: str
    id: str
    title: str
    description: str
    sections: list[SectionOut]


def _admits(spec: RouteSpec | None, is_admin: bool) -> bool:
    return spec is not None and (spec.access is not Access.ADMIN or is_admin)


def _section(section: Any, specs: dict[tuple[str, str], RouteSpec]) -> SectionOut:
    kind = section.kind
    used = [specs.get((m, openapi_path(p))) for m, p in section_routes(section)]
    method = getattr(section, "method", "POST")
    spec = specs.get((method, openapi_path(section.path)))
    model = spec.body or spec.query if spec else None
    return SectionOut(
        kind=kind, title=section.title, description=section.description, path=section.path,
        method=method, delete=getattr(section, "delete", False),
        remove=getattr(section, "remove", None), columns=list(getattr(section, "columns", ())),
        label=getattr(section, "label", None),
        admin=any(s is not None and s.access is Access.ADMIN for s in used),
        input_schema=model.model_json_schema() if model else None,
    )


@routes.get("/api/ui/panels", access=Access.USER, response=list[PanelOut],
            summary="The plugins' settings panels, with the sections this user may use")
async def panels(request: web.Request) -> list[PanelOut]:
    is_admin = current_user(request).is_admin
    specs = {(s.method, openapi_path(s.path)): s for _name, s in declared_routes(request.app)}
    out = []
    for plugin, panel in request.app[REGISTRY].panels:
        sections = [
            _section(section, specs) for section in panel.sections
            if all(_admits(specs.get((m, openapi_path(p))), is_admin)
                   for m, p in section_routes(section))
        ]
        if sections:
            out.append(PanelOut(plugin=plugin, id=panel.id, title=panel.title,
                                description=panel.description, sections=sections))
    return out
