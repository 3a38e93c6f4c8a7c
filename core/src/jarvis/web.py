"""Route declarations: each route states who may call it and its request and response models
once; validation, serialisation, the access check and the OpenAPI description all come from it."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from aiohttp import web
from pydantic import BaseModel, BeforeValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError

from . import jsoninput
from .errors import BadRequest, PayloadTooLarge, UnsupportedMediaType, validation_message
from .tools import UserRef

MAX_JSON_BODY = 1_000_000


class Ok(BaseModel):
    """The answer of a route that only confirms: ``{"ok": true}``."""

    ok: bool = True


class Access(StrEnum):
    """Who may call a route. OWNER: any user, and the service answers 404 for others' objects."""

    ANON = "anonymous"
    USER = "user"
    OWNER = "owner"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user and how they proved it."""

    user: UserRef
    method: Literal["cookie", "api_key"]
    session_id: str | None = None
    api_key_id: str | None = None


class Authenticator(Protocol):
    async def authenticate(self, request: web.Request) -> Principal | None: ...

    def refuse_query_credentials(self, request: web.Request) -> web.Response | None: ...


# The request key the access middleware stores the caller under.
PRINCIPAL = web.RequestKey("jarvis_principal", Principal)


def principal(request: web.Request) -> Principal:
    """The authenticated caller of a route whose access is not ANON."""
    return request[PRINCIPAL]


def current_user(request: web.Request) -> UserRef:
    return request[PRINCIPAL].user


@dataclass(frozen=True, slots=True)
class RouteSpec:
    """The declaration behind one route."""

    method: str
    path: str
    access: Access
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    summary: str = ""
    content_type: str | None = None  # for raw (non-JSON) responses, e.g. application/zip
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Error statuses the route answers beyond those its declaration implies (see jarvis.openapi).
    errors: tuple[int, ...] = ()
    path_params: type[BaseModel] | None = None  # the path parameters, validated like the query
    upload: type[BaseModel] | None = None  # a multipart/form-data body the handler reads itself
    # The shape of this route's errors when it is not {"error", "detail"}: a model with a
    # classmethod ``from_error(status, message, detail)`` (e.g. OpenAI's on /v1).
    error_model: Any = None


def route_spec(handler: Any) -> RouteSpec | None:
    """The declaration attached to a handler, if any."""
    return getattr(handler, "__jarvis_route__", None)


def _detail(err: ValidationError) -> list[dict[str, Any]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in err.errors()
    ]


NO_BODY: Any = object()  # what read_json returns for an empty body (JSON null is None)


async def read_json(request: web.Request) -> Any:
    """The request's JSON body (NO_BODY when empty), or a 400 naming what is wrong with it."""
    if request.content_length is not None and request.content_length > MAX_JSON_BODY:
        raise PayloadTooLarge(f"request body over {MAX_JSON_BODY} bytes")
    raw = await request.content.read(MAX_JSON_BODY + 1)
    if len(raw) > MAX_JSON_BODY:
        raise PayloadTooLarge(f"request body over {MAX_JSON_BODY} bytes")
    if not raw.strip():
        return NO_BODY
    if not _is_json_type(request.content_type):
        raise UnsupportedMediaType(
            "the request body must be JSON, sent as Content-Type: application/json",
            f"got {request.headers.get('Content-Type') or 'no Content-Type'}")
    try:
        return jsoninput.loads(raw)
    except jsoninput.JsonInputError as err:
        message = "malformed JSON body" if err.message == "malformed JSON" else err.message
        raise BadRequest(message, err.detail) from None


def _is_json_type(content_type: str) -> bool:
    # application/json, or a JSON-based type such as application/merge-patch+json
    kind = content_type.lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json"))


def parse_model(model: type[BaseModel], data: Any, where: str = "") -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise BadRequest(validation_message(err, where), _detail(err)) from None


async def read_body(request: web.Request, model: type[BaseModel]) -> BaseModel:
    """The JSON object body validated strictly: JSON types must match the declared ones (no
    ``false`` for a number, no ``"5"`` for an integer), as the OpenAPI description says."""
    data = await read_json(request)
    if data is NO_BODY:
        data = {}
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    try:
        return model.model_validate_json(json.dumps(_integral(data)), strict=True)
    except ValidationError as err:
        raise BadRequest(validation_message(err), _detail(err)) from None


def _integral(value: Any) -> Any:
    # In JSON, 2.0 and 2 are the same number (JSON Schema calls both integers); strict
    # validation would refuse 2.0 for an integer field.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def _iso_only(value: Any) -> Any:
    # pydantic also reads numbers (and numeric strings) as Unix times; the API speaks ISO 8601.
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        raise ValueError("must be an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# A date-time in a query string or body: ISO 8601 only.
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


def json_response(
    data: Any, status: int = 200, adapter: TypeAdapter[Any] | None = None
) -> web.Response:
    if adapter is not None:
        try:
            body = adapter.dump_json(data, by_alias=True, warnings="error")
        except PydanticSerializationError:
            # A handler returned plain data (a dict) for a model: validate it into the model.
            body = adapter.dump_json(adapter.validate_python(data), by_alias=True)
    elif isinstance(data, BaseModel):
        body = data.model_dump_json(by_alias=True).encode()
    else:
        body = json.dumps(data, separators=(",", ":"), default=str).encode()
    return web.Response(body=body, status=status, content_type="application/json")


Handler = Callable[..., Awaitable[Any]]


class Routes:
    """A table of declared routes; iterate it to get aiohttp RouteDefs (what ``register_routes``
    returns)."""

    def __init__(self, tag: str = "", error_model: Any = None):
        self.tag = tag
        self.error_model = error_model
        self._defs: list[web.RouteDef] = []

    def __iter__(self) -> Iterator[web.RouteDef]:
        return iter(self._defs)

    def __len__(self) -> int:
        return len(self._defs)

    def route(
        self,
        method: str,
        path: str,
        *,
        access: Access,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        summary: str = "",
        content_type: str | None = None,
        errors: tuple[int, ...] = (),
        path_params: type[BaseModel] | None = None,
        upload: type[BaseModel] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Declare a route. ``errors``: statuses it answers besides those implied (400 for
        invalid input, 401/403 by access, 404 with path parameters, 413 with a body);
        ``path_params``: a model validating the path parameters (handler argument ``path``);
        ``upload``: the form fields of a multipart body the handler reads itself."""
        spec = RouteSpec(
            method.upper(), path, Access(access), body, query, response, status, summary,
            content_type, (self.tag,) if self.tag else (), tuple(errors), path_params, upload,
            self.error_model,
        )

        def decorate(fn: Handler) -> Handler:
            self._defs.append(web.route(spec.method, path, _wrap(fn, spec)))
            return fn

        return decorate

    def get(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **kw)

    def patch(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, **kw)


def _wrap(fn: Handler, spec: RouteSpec) -> Handler:
    adapter = TypeAdapter(spec.response) if spec.response is not None else None
    wants = set(inspect.signature(fn).parameters)

    @functools.wraps(fn)
    async def handler(request: web.Request) -> web.StreamResponse:
        kwargs: dict[str, Any] = {}
        if spec.path_params is not None:
            kwargs["path"] = parse_model(spec.path_params, dict(request.match_info))
        if spec.query is not None:
            kwargs["query"] = parse_model(spec.query, dict(request.query), "query parameter ")
        if spec.body is not None:
            kwargs["body"] = await read_body(request, spec.body)
        kwargs = {k: v for k, v in kwargs.items() if k in wants}
        result = await fn(request, **kwargs)
        if isinstance(result, web.StreamResponse):
            return result
        return json_response(result, spec.status, adapter)

    handler.__jarvis_route__ = spec  # type: ignore[attr-defined]
    return handler


async def require_reauth(request: web.Request) -> None:
    """Let a protected action through (one that shows a new secret, e.g. a signing key): an
    API key, or a session whose password was confirmed lately; else 403 ``{"reauth": true}``."""
    from .auth.reauth import require_recent
    from .keys import IDENTITY

    await require_recent(request.app[IDENTITY], principal(request))


async def audit_action(
    request: web.Request, action: str, summary: str, *, kind: str = "admin", **detail: Any
) -> None:
    """Record in the audit log what the caller of this route did (e.g. changed a setting)."""
    from .keys import AUDIT
    from .services.audit import AuditEvent

    audit = request.app.get(AUDIT)
    if audit is None:
        return
    who = principal(request)
    await audit.record(AuditEvent(
        kind, action, user_id=who.user.id, username=who.user.username,
        session_id=who.session_id, summary=summary, detail=dict(detail),
    ))
