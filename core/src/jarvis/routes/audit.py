"""The audit log: reading (users see their own entries, admins all), pruning, verifying."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..keys import AUDIT, DATABASE
from ..pagination import CURSOR_HELP, Window
from ..services.audit_query import MAX_PER_PAGE, AuditFilter, list_entries
from ..web import Access, IsoDateTime, Routes, current_user
from .paging import NumberedPage

routes = Routes("audit")


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt filter must not list everything

    start: IsoDateTime | None = None
    end: IsoDateTime | None = None
    tool_name: str | None = None
    session_id: str | None = None
    task_id: str | None = None
    run_id: str | None = None
    user_id: str | None = None  # admins only; users always see their own
    confirmed_only: bool = False
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1)  # capped at MAX_PER_PAGE
    cursor: str | None = Field(None, max_length=200, description=CURSOR_HELP)


class AuditEntryOut(BaseModel):
    id: int
    created_at: str
    kind: str
    action: str
    user_id: str | None
    username: str | None
    session_id: str | None
    run_id: str | None
    task_id: str | None
    tool_name: str | None
    arguments: dict[str, Any]
    decision: str | None
    confirmed: bool | None
    success: bool | None
    summary: str
    detail: dict[str, Any]


class AuditPage(NumberedPage):
    entries: list[AuditEntryOut]


class PruneQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    older_than_days: int = Field(ge=1, le=36_500)


class Deleted(BaseModel):
    deleted: int


class VerifyOk(BaseModel):
    ok: bool  # true
    checked: int


class VerifyBroken(BaseModel):
    ok: bool  # false
    checked: int  # entries intact before the broken one
    broken_at: dict[str, Any]  # id (and created_at, kind, action when the entry exists)
    reason: str


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


@routes.get("/api/audit", access=Access.USER, query=AuditQuery, response=AuditPage,
            summary="Audit entries, newest first (users: their own)")
async def audit_list(request: web.Request, query: AuditQuery) -> AuditPage:
    user = current_user(request)
    flt = AuditFilter(
        start=_utc(query.start), end=_utc(query.end), tool_name=query.tool_name,
        session_id=query.session_id, task_id=query.task_id, run_id=query.run_id,
        user_id=query.user_id if user.is_admin else user.id,
        confirmed_only=query.confirmed_only,
    )
    window = Window(query.page, min(query.per_page, MAX_PER_PAGE), query.cursor)
    found = await list_entries(request.app[DATABASE], flt, window)
    return AuditPage.model_validate({
        "entries": found.rows, "total": found.total, "page": query.page,
        "per_page": window.per_page, "total_exact": found.exact,
        "next_cursor": found.next_cursor})


@routes.delete("/api/audit", access=Access.ADMIN, query=PruneQuery, response=Deleted,
               summary="Delete audit entries older than a number of days (audited)")
async def audit_prune(request: web.Request, query: PruneQuery) -> Deleted:
    user = current_user(request)
    deleted = await request.app[AUDIT].prune(
        query.older_than_days, user_id=user.id, username=user.username
    )
    return Deleted(deleted=deleted)


@routes.get("/api/audit/verify", access=Access.ADMIN, response=VerifyOk | VerifyBroken,
            summary="Check the audit log's hash chain; report the first broken entry")
async def audit_verify(request: web.Request) -> VerifyOk | VerifyBroken:
    result = (await request.app[AUDIT].verify()).as_dict()
    return (VerifyOk if result["ok"] else VerifyBroken).model_validate(result)
