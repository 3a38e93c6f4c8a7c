"""Checks and columns of agents: models, tools, names, cron previews, owners, JSON columns."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from ..cron import fire_times, normalize_cron, upcoming
from ..errors import BadRequest
from ..models.tables import table_of
from ..models.users import User
from ..timeutil import iso, utcnow
from ..tools import TOOL_NAME, Tool, UserRef

users: Table = table_of(User)


def check_model(model: str | None, providers: Mapping[str, Any]) -> str | None:
    """A ``provider:model`` id whose provider is loaded (any model name of it), or a 400."""
    if model is None:
        return None
    prefix, sep, name = model.strip().partition(":")
    if not sep or not prefix or not name.strip():
        raise BadRequest(f"model: {model!r} is not a provider:model id")
    if prefix not in providers:
        known = ", ".join(sorted(providers)) or "none"
        raise BadRequest(f"model: no provider named {prefix!r} is loaded (loaded: {known})")
    return f"{prefix}:{name.strip()}"


def check_tools(names: Iterable[str] | None, tools: Mapping[str, Tool],
                prefixes: Iterable[str] = ()) -> list[str] | None:
    """Tool names or groups, each known to the registry or a valid name under a tool source's
    prefix (``prefixes``: those tools come and go), without duplicates; else a 400."""
    if names is None:
        return None
    groups = {t.group for t in tools.values()}
    dynamic = tuple(prefixes)
    out: list[str] = []
    for name in names:
        if name not in tools and name not in groups and not (
                name.startswith(dynamic) and TOOL_NAME.match(name) and dynamic):
            raise BadRequest(f"allowed_tools: no tool or tool group named {name!r}")
        if name not in out:
            out.append(name)
    return out


def dump_tools(names: list[str] | None) -> str | None:
    return None if names is None else json.dumps(names)


# Tool lists as stored, parsed (a listing of thousands repeats a few lists).
_TOOL_LISTS: dict[str, list[str]] = {}
_MEMO_MAX = 20_000  # entries in each of the memos below before it starts again


def load_tools(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    if raw == "[]":  # most lists are empty: no parse
        return []
    found = _TOOL_LISTS.get(raw)
    if found is None:
        if len(_TOOL_LISTS) >= _MEMO_MAX:
            _TOOL_LISTS.clear()
        found = _TOOL_LISTS[raw] = list(json.loads(raw))
    return list(found)  # a copy: the caller may change it


def visible(table: Table, user: UserRef) -> ColumnElement[bool]:
    """Rows the user may see: admins every row, others their own."""
    return true() if user.is_admin else table.c.user_id == user.id


async def owner_of(conn: AsyncConnection, user_id: str) -> UserRef | None:
    """The active user a schedule or a trigger acts for, or None when they are gone or disabled."""
    row = (await conn.execute(
        select(users.c.id, users.c.username, users.c.role, users.c.is_active)
        .where(users.c.id == user_id)
    )).first()
    if row is None or not row.is_active:
        return None
    return UserRef(row.id, row.username, row.role)


def next_run_at(schedule: str | None, enabled: bool, time_zone: str,
                now: datetime | None = None) -> str | None:
    """When the schedule fires next (ISO, UTC), or None when it never does."""
    if not schedule or not enabled:
        return None
    when = upcoming(schedule, time_zone, now or utcnow())
    if when is None:
        return None
    shown = _FIRE_TIMES.get(when)
    if shown is None:  # the same few fire times recur across a listing and its next ones
        if len(_FIRE_TIMES) >= _MEMO_MAX:
            _FIRE_TIMES.clear()
        shown = _FIRE_TIMES[when] = iso(when)
    return shown


_FIRE_TIMES: dict[datetime, str] = {}  # a fire time as iso() shows it


PREVIEW_HORIZON = timedelta(days=5 * 366)  # far enough for a 29 February schedule


def preview(schedule: str, time_zone: str, count: int,
            now: datetime | None = None) -> tuple[str, list[str]]:
    """The normalised schedule and its next ``count`` fire times (ISO, UTC); a 400 naming
    ``schedule`` when it is not valid cron."""
    expr = normalize_cron(schedule)
    start = now or utcnow()
    times = fire_times(expr, time_zone, start, start + PREVIEW_HORIZON, limit=count)
    return expr, [iso(t) for t in times]


def clean_name(name: str) -> str:
    """The name without surrounding blanks; a 400 when nothing is left."""
    if not name.strip():
        raise BadRequest("name: must not be blank")
    return name.strip()


def require(changes: Mapping[str, Any], *fields: str) -> None:
    """A 400 naming the first field given as an explicit null where null makes no sense."""
    for name in fields:
        if name in changes and changes[name] is None:
            raise BadRequest(f"{name}: may not be null")
