"""The listings' baseline: a bare aiohttp app reading the same rows as Jarvis's listings with
SQLAlchemy Core on an async engine and answering the same JSON, without authentication or
validation: ``python -m bench.listing_bare PORT DATABASE_URL``.

Its paged listings take ``page`` (OFFSET, as a plain handler would) or ``cursor`` (the same
keyset Jarvis answers with, decoded here, so a deep page reads the same rows in both)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from aiohttp import web
from jarvis.cron import upcoming
from jarvis.pagination import decode_cursor
from sqlalchemy import MetaData, Table, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

ENGINE: web.AppKey[AsyncEngine] = web.AppKey("engine", AsyncEngine)
TABLES: web.AppKey[dict[str, Table]] = web.AppKey("tables", dict)
TIME_ZONE = "UTC"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


async def _table(app: web.Application, name: str) -> Table:
    tables = app[TABLES]
    if name not in tables:
        async with app[ENGINE].connect() as conn:
            tables[name] = await conn.run_sync(
                lambda sync: Table(name, MetaData(), autoload_with=sync))
    return tables[name]


def _json(data: Any) -> web.Response:
    return web.Response(body=json.dumps(data).encode(), content_type="application/json")


def _agent(r: Any, now: datetime) -> dict[str, Any]:
    nxt = upcoming(r.schedule, TIME_ZONE, now) if r.schedule and r.enabled else None
    return {"id": r.id, "user_id": r.user_id, "name": r.name, "prompt": r.prompt,
            "model": r.model, "schedule": r.schedule,
            "allowed_tools": None if r.allowed_tools is None else json.loads(r.allowed_tools),
            "enabled": bool(r.enabled), "prompt_mode": r.prompt_mode,
            "max_tool_calls": r.max_tool_calls, "created_at": _iso(r.created_at),
            "updated_at": _iso(r.updated_at), "next_run_at": _iso(nxt)}


def agents_of(kind: str):
    async def handler(request: web.Request) -> web.Response:
        agents = await _table(request.app, "agents")
        query = select(agents).where(agents.c.kind == kind).order_by(agents.c.created_at,
                                                                      agents.c.id)
        async with request.app[ENGINE].connect() as conn:
            rows = (await conn.execute(query)).all()
        now = datetime.utcnow()  # noqa: DTZ003 - naive UTC, as stored
        return _json([_agent(r, now) for r in rows])
    return handler


def _page(request: web.Request, table: Table, time_column: str, query: Any) -> Any:
    """Newest first, from a cursor or a page number."""
    per_page = int(request.query.get("per_page", 50))
    when, key = table.c[time_column], table.c.id
    cursor = request.query.get("cursor")
    if cursor:
        at, last = decode_cursor(cursor)
        query = query.where(tuple_(when, key) < tuple_(at, key.type.python_type(last)))
    else:
        query = query.offset((int(request.query.get("page", 1)) - 1) * per_page)
    return query.order_by(when.desc(), key.desc()).limit(per_page)


async def conversations(request: web.Request) -> web.Response:
    convs, messages = (await _table(request.app, "conversations"),
                       await _table(request.app, "messages"))
    count = (select(func.count()).where(messages.c.conversation_id == convs.c.id)
             .scalar_subquery())
    query = _page(request, convs, "started_at", select(convs, count.label("message_count")))
    async with request.app[ENGINE].connect() as conn:
        rows = (await conn.execute(query)).all()
        total = await conn.scalar(select(func.count()).select_from(convs))
    return _json({"conversations": [
        {"id": r.id, "title": r.title, "model": r.model, "started_at": _iso(r.started_at),
         "message_count": r.message_count} for r in rows], "total": total})


RUN_FIELDS = ("id", "kind", "user_id", "agent_id", "task_id", "session_id", "conversation_id",
              "trigger", "model", "status", "input_tokens", "output_tokens", "tool_calls",
              "error", "parent_run_id")


async def runs(request: web.Request) -> web.Response:
    table = await _table(request.app, "runs")
    query = _page(request, table, "created_at", select(table))
    async with request.app[ENGINE].connect() as conn:
        rows = (await conn.execute(query)).all()
        total = await conn.scalar(select(func.count()).select_from(table))
    out = [{**{f: getattr(r, f) for f in RUN_FIELDS}, "created_at": _iso(r.created_at),
            "started_at": _iso(r.started_at), "finished_at": _iso(r.finished_at)} for r in rows]
    return _json({"runs": out, "total": total, "page": 1, "per_page": len(out)})


AUDIT_FIELDS = ("id", "kind", "action", "user_id", "username", "session_id", "run_id",
                "task_id", "tool_name", "decision", "confirmed", "success", "summary")


async def audit(request: web.Request) -> web.Response:
    table = await _table(request.app, "audit_log")
    columns = [table.c[f] for f in (*AUDIT_FIELDS, "created_at", "arguments", "detail")]
    query = _page(request, table, "created_at", select(*columns))
    async with request.app[ENGINE].connect() as conn:
        rows = (await conn.execute(query)).all()
        total = await conn.scalar(select(func.count()).select_from(table))
    out = [{**{f: getattr(r, f) for f in AUDIT_FIELDS}, "created_at": _iso(r.created_at),
            "arguments": json.loads(r.arguments), "detail": json.loads(r.detail)} for r in rows]
    return _json({"entries": out, "total": total, "page": 1, "per_page": len(out)})


async def health(request: web.Request) -> web.Response:
    return _json({"status": "ok"})


def build(database_url: str) -> web.Application:
    app = web.Application()
    app[ENGINE] = create_async_engine(database_url)
    app[TABLES] = {}
    app.router.add_get("/health", health)
    app.router.add_get("/api/agents", agents_of("agent"))
    app.router.add_get("/api/tasks", agents_of("task"))
    app.router.add_get("/api/conversations", conversations)
    app.router.add_get("/api/runs", runs)
    app.router.add_get("/api/audit", audit)
    return app


def main() -> None:
    app = build(sys.argv[2])
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)


if __name__ == "__main__":
    main()
