"""Health, status, pause and resume, the run queue, and the plugin list."""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web
from pydantic import BaseModel, TypeAdapter

from ..errors import Forbidden, NotAuthenticated, ServiceUnavailable
from ..keys import CONFIG, REGISTRY, RUN_QUEUE, SETTINGS, SUPERVISOR
from ..metrics import CONTENT_TYPE, METRICS
from ..services.health import DatabaseProbe
from ..web import Access, Ok, Routes

routes = Routes("system")


class Health(BaseModel):
    status: str


class Status(BaseModel):
    paused: bool
    agent_name: str


class QueueState(BaseModel):
    running: int
    queued: int
    max_concurrent: int


class TriggerInfo(BaseModel):
    name: str
    state: str
    detail: str | None = None
    restarts: int = 0
    last_error: str | None = None
    next_attempt: str | None = None


class PluginOut(BaseModel):
    name: str
    version: str
    distribution: str | None
    hooks: list[str]
    tools: list[str]
    policies: list[str]
    triggers: list[TriggerInfo]
    providers: list[str]
    routes: list[str]
    status: str


DB_PROBE: web.AppKey[DatabaseProbe] = web.AppKey("jarvis_db_probe")
# Set when start-up has finished, cleared when shut-down begins.
STARTED: web.AppKey[list[bool]] = web.AppKey("jarvis_started")
# The hot answers, serialised once (the same bytes the response models give).
HEALTH_BODY = TypeAdapter(Health).dump_json(Health(status="ok"))
READY_BODY = TypeAdapter(Health).dump_json(Health(status="ready"))


def json_body(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="application/json")


async def _database_error(request: web.Request) -> str | None:
    probe = request.app[DB_PROBE]
    known, error = probe.known()
    return error if known else await probe.error()


@routes.get("/health", access=Access.ANON, response=Health, errors=(503,),
            summary="Liveness: the server answers and its database too")
async def health(request: web.Request) -> web.Response:
    error = await _database_error(request)
    if error:
        raise ServiceUnavailable("database unavailable", error)
    return json_body(HEALTH_BODY)


@routes.get("/ready", access=Access.ANON, response=Health, errors=(503,),
            summary="Readiness: start-up finished and the database answers")
async def ready(request: web.Request) -> web.Response:
    if not request.app[STARTED][0]:
        raise ServiceUnavailable("not ready", "starting up or shutting down")
    error = await _database_error(request)
    if error:
        raise ServiceUnavailable("database unavailable", error)
    return json_body(READY_BODY)


@routes.get("/metrics", access=Access.ANON, errors=(401, 403), content_type=CONTENT_TYPE,
            summary="Prometheus metrics (Authorization: Bearer $JARVIS_METRICS_TOKEN)")
async def metrics(request: web.Request) -> web.Response:
    token = request.app[SETTINGS].metrics_token
    if token is None:
        raise Forbidden("metrics are off", "set JARVIS_METRICS_TOKEN to scrape /metrics")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise NotAuthenticated("not authenticated", "send Authorization: Bearer <metrics token>")
    body = await request.app[METRICS].render(request.app)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


class _StatusBody:
    """``GET /api/status``'s body, serialised again only when the state or the name changed."""

    def __init__(self) -> None:
        self._adapter = TypeAdapter(Status)
        self._key: tuple[bool, str] | None = None
        self._body = b""

    def __call__(self, paused: bool, agent_name: str) -> bytes:
        key = (paused, agent_name)
        if key != self._key:
            self._body = self._adapter.dump_json(Status(paused=paused, agent_name=agent_name))
            self._key = key
        return self._body


_status_body = _StatusBody()


@routes.get("/api/status", access=Access.USER, response=Status, summary="Paused state and name")
async def status(request: web.Request) -> web.Response:
    agent_name = request.app[CONFIG].get("general").agent_name
    return json_body(_status_body(request.app[RUN_QUEUE].paused, agent_name))


@routes.post("/api/pause", access=Access.ADMIN, response=Ok, summary="Pause the agent")
async def pause(request: web.Request) -> Ok:
    request.app[RUN_QUEUE].pause()
    return Ok()


@routes.post("/api/resume", access=Access.ADMIN, response=Ok, summary="Resume the agent")
async def resume(request: web.Request) -> Ok:
    request.app[RUN_QUEUE].resume()
    return Ok()


@routes.get(
    "/api/queue", access=Access.USER, response=QueueState, summary="Runs running and waiting"
)
async def queue(request: web.Request) -> dict[str, int]:
    return request.app[RUN_QUEUE].snapshot()


def plugin_list(app: web.Application) -> list[dict[str, Any]]:
    """What ``GET /api/plugins`` and ``jarvis plugins`` show."""
    reg = app[REGISTRY]
    supervisor = app.get(SUPERVISOR)
    states = supervisor.states if supervisor else {}
    out = []
    for info in reg.plugins.values():
        triggers = []
        for name in info.triggers:
            state = states.get(name)
            triggers.append({"name": name, **(state.as_dict() if state else {"state": "stopped"})})
        bad = [t for t in triggers if t["state"] in ("retrying", "failed")]
        out.append(
            {
                "name": info.name,
                "version": info.version,
                "distribution": info.distribution,
                "hooks": info.hooks,
                "tools": info.tools,
                "policies": info.policies,
                "triggers": triggers,
                "providers": info.providers,
                "routes": info.routes,
                "status": "degraded" if bad else "ok",
            }
        )
    return out


@routes.get("/api/plugins", access=Access.ADMIN, response=list[PluginOut], summary="Loaded plugins")
async def plugins(request: web.Request) -> list[dict[str, Any]]:
    return plugin_list(request.app)
