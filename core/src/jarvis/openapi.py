"""The OpenAPI 3.1 description, generated from the route declarations (the same pydantic models
that validate requests and shape responses)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import JsonSchemaMode

from .version import __version__
from .web import Access, RouteSpec, route_spec

# A path parameter, with aiohttp's optional regex (which may hold one level of braces).
PATH_PARAM = re.compile(r"\{([_a-zA-Z][_a-zA-Z0-9]*)(?::((?:[^{}]|\{[^{}]*\})*))?\}")
REF = "#/components/schemas/{model}"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# ``{id}`` in a route path is always an object id made by jarvis.db.new_id (a uuid4 in hex).
OBJECT_ID = {
    "type": "string",
    "pattern": "^[0-9a-f]{32}$",
    "description": "an object id (32 lowercase hex digits)",
    "examples": ["0123456789abcdef0123456789abcdef"],
}


class ErrorBody(BaseModel):
    """Every error: a human-readable message and optional detail."""

    error: str
    detail: Any = None


ERROR_STATUSES = {
    400: "bad request: malformed JSON (or nested more than 64 levels, or holding a NUL "
         "character) or a field that fails validation",
    401: "not authenticated",
    403: "not allowed (admin only, a cookie-authenticated change without this server's Origin, "
         "or a protected action without a recent POST /api/auth/reauth: detail "
         "{\"reauth\": true})",
    404: "not found (also: another user's object)",
    409: "conflict with the current state",
    413: "request body too large",
    415: "the request body is not application/json",
    429: "too many attempts; Retry-After says when to try again",
    503: "a service this route needs is not available",
}

SECURITY_SCHEMES = {
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "jarvis_session",
                   "description": "The session cookie set by POST /api/auth/login "
                                  "(named __Host-jarvis_session over HTTPS)."},
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "bearerAuth": {"type": "http", "scheme": "bearer",
                   "description": "An API key as a bearer token."},
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


def error_statuses(spec: RouteSpec) -> list[int]:
    """The error statuses a route can answer: implied by its declaration, plus its ``errors``."""
    wanted = set(spec.errors)
    if spec.body or spec.query or spec.upload or spec.path_params or "{" in spec.path:
        wanted.add(400)
    if spec.body or spec.upload:
        wanted.add(413)
    if spec.body:
        wanted.add(415)
    if spec.access is not Access.ANON:
        wanted.add(401)
        # A cookie-authenticated change must carry this server's Origin.
        if spec.method not in SAFE_METHODS:
            wanted.add(403)
    if spec.access is Access.ADMIN:
        wanted.add(403)
    if "{" in spec.path or spec.access is Access.OWNER:
        wanted.add(404)
    return sorted(wanted)


def build_spec(app: web.Application, title: str = "Jarvis") -> dict[str, Any]:
    routes = declared_routes(app)
    inputs: list[tuple[Any, JsonSchemaMode, TypeAdapter[Any]]] = [
        ("ErrorBody", "serialization", TypeAdapter(ErrorBody))]
    shapes = {spec.error_model for _name, spec in routes if spec.error_model is not None}
    inputs += [(m.__name__, "serialization", TypeAdapter(m)) for m in shapes]
    for _name, spec in routes:
        key = f"{spec.method} {spec.path}"
        parts: tuple[tuple[str, Any, JsonSchemaMode], ...] = (
            ("body", spec.body, "validation"), ("query", spec.query, "validation"),
            ("path", spec.path_params, "validation"), ("upload", spec.upload, "validation"),
            ("response", spec.response, "serialization"),
        )
        for part, model, mode in parts:
            if model is not None:
                inputs.append((f"{key} {part}", mode, TypeAdapter(model)))
    schemas, defs = TypeAdapter.json_schemas(inputs, ref_template=REF)
    lookup = {k: v for (k, _mode), v in schemas.items()}
    components = defs.get("$defs", {})

    paths: dict[str, dict[str, Any]] = {}
    for name, spec in routes:
        key = f"{spec.method} {spec.path}"
        op = _operation(name, spec, key, lookup, components)
        paths.setdefault(openapi_path(spec.path), {})[spec.method.lower()] = op
    doc = {
        "openapi": "3.1.0",
        "info": {
            "title": title, "version": __version__,
            "description": "The REST API of a Jarvis server. Errors are JSON {error, detail}.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": components, "securitySchemes": SECURITY_SCHEMES},
    }
    _drop_null_defaults(doc, components)
    return doc


def _properties(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _parameters(
    spec: RouteSpec, key: str, lookup: dict[str, Any], defs: dict[str, Any]
) -> list[dict[str, Any]]:
    declared = _properties(lookup[f"{key} path"], defs) if spec.path_params else {}
    params = []
    for match in PATH_PARAM.finditer(spec.path):
        name, regex = match.group(1), match.group(2)
        if name in declared.get("properties", {}):
            schema = declared["properties"][name]
        elif regex:
            # aiohttp routes only paths whose parameter matches the regex.
            schema = {"type": "string", "pattern": f"^(?:{regex})$"}
        elif name == "id":
            schema = dict(OBJECT_ID)
        else:
            schema = {"type": "string", "minLength": 1}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if spec.query is not None:
        query = _properties(lookup[f"{key} query"], defs)
        for field_name, schema in query.get("properties", {}).items():
            required = field_name in query.get("required", [])
            params.append(
                {"name": field_name, "in": "query", "required": required, "schema": schema})
    return params


def _body_required(model: type[BaseModel], schema: dict[str, Any]) -> bool:
    # An empty body is read as {}: a model that accepts {} makes the body optional.
    if schema.get("minProperties"):
        return True
    try:
        model.model_validate_json("{}", strict=True)
    except ValidationError:
        return True
    return False


def _slug(path: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_")


def _operation(
    name: str, spec: RouteSpec, key: str, lookup: dict[str, Any], defs: dict[str, Any]
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{spec.method.lower()}_{_slug(openapi_path(spec.path))}",
        "summary": spec.summary or name.replace("_", " "),
        "tags": list(spec.tags),
        "x-access": spec.access.value,
    }
    params = _parameters(spec, key, lookup, defs)
    if params:
        op["parameters"] = params
    if spec.body is not None:
        body = lookup[f"{key} body"]
        op["requestBody"] = {"required": _body_required(spec.body, _properties(body, defs)),
                             "content": {"application/json": {"schema": body}}}
    elif spec.upload is not None:
        form = {"multipart/form-data": {"schema": lookup[f"{key} upload"]}}
        op["requestBody"] = {"required": True, "content": form}
    ok: dict[str, Any] = {"description": "success"}
    if spec.content_type:
        ok["content"] = {spec.content_type: {"schema": {"type": "string", "format": "binary"}}}
    elif spec.response is not None:
        ok["content"] = {"application/json": {"schema": lookup[f"{key} response"]}}
    responses: dict[str, Any] = {str(spec.status): ok}
    shape = spec.error_model.__name__ if spec.error_model is not None else "ErrorBody"
    error = {"content": {"application/json": {"schema": lookup[shape]}}}
    for status in error_statuses(spec):
        responses[str(status)] = {"description": ERROR_STATUSES.get(status, "error"), **error}
    op["responses"] = responses
    op["security"] = [] if spec.access is Access.ANON else [
        {"cookieAuth": []}, {"apiKeyHeader": []}, {"bearerAuth": []}
    ]
    return op


def _allows_null(schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return _allows_null(defs.get(schema["$ref"].rsplit("/", 1)[1], {}), defs)
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if "const" in schema and schema["const"] is None:
        return True
    return any(_allows_null(s, defs) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def _drop_null_defaults(node: Any, defs: dict[str, Any]) -> None:
    """``"default": null`` on a property that may not be null means "leave out to keep"; said
    as a default it would describe a value the server refuses."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict) and prop.get("default", 0) is None \
                        and not _allows_null(prop, defs):
                    del prop["default"]
        for value in node.values():
            _drop_null_defaults(value, defs)
    elif isinstance(node, list):
        for value in node:
            _drop_null_defaults(value, defs)
