"""The OpenAPI 3.1 description, generated from the route declarations (the same pydantic models
that validate requests and shape responses)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from pydantic import BaseModel, TypeAdapter

from . import __version__
from .web import Access, RouteSpec, route_spec

PATH_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")
REF = "#/components/schemas/{model}"


class ErrorBody(BaseModel):
    """Every error: a human-readable message and optional detail."""

    error: str
    detail: Any = None


ERROR_STATUSES = {
    "400": "bad request: malformed JSON or a field that fails validation",
    "401": "not authenticated",
    "403": "authenticated but not allowed",
    "404": "not found (also: another user's object)",
    "409": "conflict",
    "413": "request body too large",
    "429": "too many attempts",
}

SECURITY_SCHEMES = {
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "jarvis_session",
                   "description": "The session cookie set by POST /api/auth/login."},
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API key as a bearer token."},
}


def openapi_path(path: str) -> str:
    return PATH_PARAM.sub(lambda m: "{" + m.group(1) + "}", path)


def declared_routes(app: web.Application) -> list[tuple[str, RouteSpec]]:
    """(handler name, spec) of every declared route of the app."""
    out = []
    for route in app.router.routes():
        spec = route_spec(route.handler)
        if spec is not None and route.method != "HEAD":
            out.append((route.handler.__name__, spec))
    return out


def build_spec(app: web.Application, title: str = "Jarvis") -> dict[str, Any]:
    routes = declared_routes(app)
    inputs: list[tuple[Any, str, TypeAdapter[Any]]] = [("ErrorBody", "serialization", TypeAdapter(ErrorBody))]
    for name, spec in routes:
        key = f"{spec.method} {spec.path}"
        if spec.body is not None:
            inputs.append((f"{key} body", "validation", TypeAdapter(spec.body)))
        if spec.query is not None:
            inputs.append((f"{key} query", "validation", TypeAdapter(spec.query)))
        if spec.response is not None:
            inputs.append((f"{key} response", "serialization", TypeAdapter(spec.response)))
    schemas, defs = TypeAdapter.json_schemas(inputs, ref_template=REF)
    lookup = {k: v for (k, _mode), v in schemas.items()}

    paths: dict[str, dict[str, Any]] = {}
    for name, spec in routes:
        key = f"{spec.method} {spec.path}"
        op = _operation(name, spec, key, lookup, defs.get("$defs", {}))
        paths.setdefault(openapi_path(spec.path), {})[spec.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": __version__,
                 "description": "The REST API of a Jarvis server. Errors are JSON {error, detail}."},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": defs.get("$defs", {}), "securitySchemes": SECURITY_SCHEMES},
    }


def _operation(
    name: str, spec: RouteSpec, key: str, lookup: dict[str, Any], defs: dict[str, Any]
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{spec.method.lower()}_{re.sub(r'[^a-zA-Z0-9]+', '_', spec.path).strip('_')}",
        "summary": spec.summary or name.replace("_", " "),
        "tags": list(spec.tags),
        "x-access": spec.access.value,
    }
    params = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in PATH_PARAM.findall(spec.path)
    ]
    if spec.query is not None:
        query = lookup[f"{key} query"]
        if "$ref" in query:
            query = defs[query["$ref"].rsplit("/", 1)[1]]
        for field_name, schema in query.get("properties", {}).items():
            required = field_name in query.get("required", [])
            params.append({"name": field_name, "in": "query", "required": required, "schema": schema})
    if params:
        op["parameters"] = params
    if spec.body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": lookup[f"{key} body"]}}}
    ok: dict[str, Any] = {"description": "success"}
    if spec.content_type:
        ok["content"] = {spec.content_type: {"schema": {"type": "string", "format": "binary"}}}
    elif spec.response is not None:
        ok["content"] = {"application/json": {"schema": lookup[f"{key} response"]}}
    responses: dict[str, Any] = {str(spec.status): ok}
    error = {"content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}}}
    wanted = ["400"] if spec.body or spec.query or "{" in spec.path else []
    if spec.access is not Access.ANON:
        wanted += ["401"]
    if spec.access is Access.ADMIN:
        wanted += ["403"]
    if "{" in spec.path or spec.access is Access.OWNER:
        wanted += ["404"]
    for status in wanted:
        responses[status] = {"description": ERROR_STATUSES[status], **error}
    op["responses"] = responses
    op["security"] = [] if spec.access is Access.ANON else [
        {"cookieAuth": []}, {"apiKeyHeader": []}, {"bearerAuth": []}
    ]
    return op
