"""Run history: users see their own runs (others' answer 404), admins see every run."""

from __future__ import annotations

import json
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, Field

from ..errors import Conflict, NotFound
from ..keys import DATABASE, RUNTIME
from ..pagination import CURSOR_HELP, Window
from ..services.conversations import message_out, message_rows
from ..timeutil import iso
from ..web import Access, Ok, Routes, current_user
from .conversations import MessageOut
from .paging import NumberedPage

routes = Routes("runs")

RunStatus = Literal["queued", "running", "done", "failed", "stopped", "limited", "interrupted"]
RunKindName = Literal["chat", "agent", "task", "trigger", "api"]


class RunQuery(BaseModel):
    agent_id: str | None = Field(None, max_length=64)
    task_id: str | None = Field(None, max_length=64)
    kind: RunKindName | None = None
    status: RunStatus | None = None
    user_id: str | None = Field(None, max_length=64)  # admins only; users see their own
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200, description=CURSOR_HELP)


class RunOut(BaseModel):
    id: str
    kind: str
    user_id: str
    agent_id: str | None
    task_id: str | None
    session_id: str | None
    conversation_id: str | None
    trigger: str | None
    model: str | None
    status: str
    input_tokens: int
    output_tokens: int
    tool_calls: int
    error: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None
    parent_run_id: str | None = Field(
        None, description="a sub-run: the run whose tool call asked this run's agent")


class RunPage(NumberedPage):
    runs: list[RunOut]


class ToolCallRecord(BaseModel):
    call_id: str
    tool_name: str
    arguments: dict[str, Any]
    decision: str
    confirmed: bool | None
    success: bool
    summary: str
    created_at: str


class Usage(BaseModel):
    input_tokens: int
    output_tokens: int


class RunDetail(BaseModel):
    run: RunOut
    prompt: str
    final_text: str
    messages: list[MessageOut]
    tool_calls: list[ToolCallRecord]
    usage: Usage


def run_out(row: dict[str, Any]) -> RunOut:
    """A run row as the API shows it."""
    fields = {name: row[name] for name in RunOut.model_fields if name in row}
    for name in ("created_at", "started_at", "finished_at"):
        fields[name] = iso(row[name])
    return RunOut.model_validate(fields)


async def _visible(request: web.Request) -> dict[str, Any]:
    user = current_user(request)
    row = await request.app[RUNTIME].store.get(request.match_info["id"])
    if row is None or (row["user_id"] != user.id and not user.is_admin):
        raise NotFound("run not found")
    return row


@routes.get("/api/runs", access=Access.USER, query=RunQuery, response=RunPage,
            summary="Runs, newest first (users: their own; admins: all)")
async def list_runs(request: web.Request, query: RunQuery) -> RunPage:
    user = current_user(request)
    owner = query.user_id if user.is_admin else user.id
    filters = {"agent_id": query.agent_id, "task_id": query.task_id, "kind": query.kind,
               "status": query.status}
    found = await request.app[RUNTIME].store.page(
        filters, owner, Window(query.page, query.per_page, query.cursor))
    return RunPage(runs=[run_out(r) for r in found.rows], total=found.total, page=query.page,
                   per_page=query.per_page, total_exact=found.exact,
                   next_cursor=found.next_cursor)


@routes.get("/api/runs/{id}", access=Access.OWNER, response=RunDetail,
            summary="One run with its messages, tool calls and usage")
async def get_run(request: web.Request) -> RunDetail:
    row = await _visible(request)
    calls = await request.app[RUNTIME].store.tool_calls_of(row["id"])
    messages = await message_rows(request.app[DATABASE], run_id=row["id"])
    return RunDetail(
        run=run_out(row), prompt=row["prompt"], final_text=row["final_text"],
        messages=[MessageOut.model_validate(message_out(m)) for m in messages],
        tool_calls=[ToolCallRecord(
            call_id=c["call_id"], tool_name=c["tool_name"], arguments=json.loads(c["arguments"]),
            decision=c["decision"], confirmed=c["confirmed"], success=c["success"],
            summary=c["summary"], created_at=iso(c["created_at"]) or "",
        ) for c in calls],
        usage=Usage(input_tokens=row["input_tokens"], output_tokens=row["output_tokens"]),
    )


@routes.post("/api/runs/{id}/stop", access=Access.OWNER, response=Ok,
             summary="Stop a run at its next step")
async def stop_run(request: web.Request) -> Ok:
    row = await _visible(request)
    runtime = request.app[RUNTIME]
    # a run of another server process stops there within seconds (it polls the request)
    if await runtime.request_stop(row["id"]):
        return Ok()
    ended = await runtime.store.get(row["id"]) or row
    raise Conflict(f"the run has already ended ({ended['status']})")
