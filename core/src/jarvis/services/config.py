"""Runtime settings stored in the database: validated sections, cached in memory."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import insert as core_insert
from sqlalchemy import select as core_select
from sqlalchemy import update as core_update
from sqlmodel import select

from ..db import Database
from ..errors import BadRequest, validation_message
from ..models.config import ConfigEntry
from ..models.tables import table_of
from ..timeutil import utcnow

S = TypeVar("S", bound=BaseModel)
log = logging.getLogger(__name__)

REFRESH_SECONDS = 3.0  # how stale a section may get when another process changes it


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Limits(Section):
    max_tool_calls: int = Field(20, ge=1, le=1000)
    max_autonomous_runs_per_hour: int = Field(10, ge=0, le=100_000)  # all users together
    max_autonomous_runs_per_hour_per_user: int = Field(5, ge=0, le=100_000)  # each user
    max_concurrent_runs: int = Field(3, ge=1, le=1000)


class Security(Section):
    sanitize_enhanced: bool = False
    canary: bool = False
    llm_screen: bool = False
    llm_screen_model: str | None = None  # None: the default provider's small model
    llm_screen_timeout: float = Field(20.0, gt=0, le=300)
    taint_guard: bool = True  # side effects after untrusted input need confirmation or a grant
    # A session unused this long ends (beside its 30-day lifetime).
    session_idle_hours: int = Field(168, ge=1, le=720)


class General(Section):
    agent_name: str = Field("Jarvis", min_length=1, max_length=100)
    persona: str = Field("You are Jarvis, a helpful personal assistant.", max_length=20_000)
    time_zone: str | None = None  # None: the server setting

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class ProviderChoice(Section):
    default_provider: str = "anthropic"
    default_model: str | None = None


class Storage(Section):
    # bytes each user's folder may hold (uploads and tools' writes); None: no quota
    user_quota_bytes: int | None = Field(None, ge=0, le=2**53)


class AuditRetention(Section):
    days: int = Field(90, ge=1, le=36_500)


CORE_SECTIONS: dict[str, type[Section]] = {
    "limits": Limits,
    "security": Security,
    "general": General,
    "provider": ProviderChoice,
    "audit_retention": AuditRetention,
    "storage": Storage,
}


def storage_quota(config: ConfigStore) -> int | None:
    """The per-user storage quota in bytes (None: none)."""
    return config.get("storage").user_quota_bytes


class ConfigStore:
    """Sections of runtime settings. Reads come from memory; writes go to the database first."""

    def __init__(self, db: Database):
        self.db = db
        self.sections: dict[str, type[BaseModel]] = dict(CORE_SECTIONS)
        self._values: dict[str, BaseModel] = {}
        self._stamps: dict[str, datetime] = {}
        self._listeners: dict[str, list[Callable[[BaseModel], None]]] = {}
        self.refresh_interval = REFRESH_SECONDS
        self._checked = time.monotonic()
        self._refreshing: asyncio.Task[list[str]] | None = None

    def register(self, name: str, model: type[BaseModel]) -> None:
        """Add a section (plugins and subsystems may keep their own)."""
        self.sections[name] = model

    def on_change(self, name: str, callback: Callable[[BaseModel], None]) -> None:
        """Call ``callback(new_value)`` whenever the section changes, here or in another
        process (seen on refresh)."""
        self._listeners.setdefault(name, []).append(callback)

    async def load(self) -> None:
        async with self.db.session() as s:
            rows = {row.section: row for row in (await s.exec(select(ConfigEntry))).all()}
        self._checked = time.monotonic()
        for name in self.sections:
            row = rows.get(name)
            self._set(name, row.value if row else None, row.updated_at if row else None)

    def _set(self, name: str, raw: str | None, stamp: datetime | None) -> BaseModel:
        model = self.sections[name]
        stored = json.loads(raw) if raw else {}
        try:
            value = model.model_validate(stored)
        except ValidationError:
            # A value stored by an older version that no longer validates: keep the defaults
            # for the fields that fail rather than refusing to start.
            good = {k: v for k, v in stored.items() if k in model.model_fields}
            value = _best_effort(model, good)
        self._values[name] = value
        if stamp is not None:
            self._stamps[name] = stamp
        return value

    async def refresh(self) -> list[str]:
        """Reload the sections changed in the database since we last looked (by another
        process); returns their names. One cheap query when nothing changed."""
        self._checked = time.monotonic()
        table = table_of(ConfigEntry)
        async with self.db.read() as conn:
            query = core_select(table.c.section, table.c.updated_at)
            stamps: dict[str, datetime] = dict((await conn.execute(query)).all())
            changed = [
                n for n, ts in stamps.items() if n in self.sections and self._stamps.get(n) != ts
            ]
            if not changed:
                return []
            fresh = core_select(table.c.section, table.c.value, table.c.updated_at).where(
                table.c.section.in_(changed)
            )
            rows = (await conn.execute(fresh)).all()
        for name, raw, stamp in rows:
            old = self._values.get(name)
            new = self._set(name, raw, stamp)
            if new != old:
                self._notify(name, new)
        return changed

    def _maybe_refresh(self) -> None:
        """Start a background refresh when the last look is older than ``refresh_interval``;
        the caller still gets the value in memory (reads stay off the database)."""
        if time.monotonic() - self._checked < self.refresh_interval:
            return
        if self._refreshing is not None and not self._refreshing.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._checked = time.monotonic()
        self._refreshing = loop.create_task(self._refresh_quietly())

    async def _refresh_quietly(self) -> list[str]:
        try:
            return await self.refresh()
        except Exception as err:  # the database may be closing; the next read tries again
            log.debug("settings refresh failed: %s", err)
            return []

    def _notify(self, name: str, value: BaseModel) -> None:
        for callback in self._listeners.get(name, []):
            try:
                callback(value)
            except Exception:
                log.exception("settings listener for %s failed", name)

    @overload
    def get(self, name: str) -> Any: ...

    @overload
    def get(self, name: str, model: type[S]) -> S: ...

    def get(self, name: str, model: type[S] | None = None) -> Any:
        """The section's current values; with ``model``, typed as (and checked to be) that."""
        self._maybe_refresh()
        if name not in self._values:
            self._values[name] = self.sections[name]()
        value = self._values[name]
        if model is not None and not isinstance(value, model):
            raise TypeError(f"settings section {name!r} is not a {model.__name__}")
        return value

    async def update(self, name: str, changes: dict[str, Any]) -> tuple[BaseModel, BaseModel]:
        """Validate and store a partial change; returns (old, new). Unknown keys are a 400."""
        model = self.sections[name]
        old = self.get(name)
        if not changes:
            raise BadRequest("body: no settings given")
        unknown = set(changes) - set(model.model_fields)
        if unknown:
            raise BadRequest(f"{sorted(unknown)[0]}: unknown setting")
        try:
            new = model.model_validate({**old.model_dump(), **changes})
        except ValidationError as err:
            raise BadRequest(validation_message(err), None) from None
        table = table_of(ConfigEntry)
        stamp = utcnow()
        values = {"value": new.model_dump_json(), "updated_at": stamp}
        # a write transaction from the start: on SQLite a read that later writes fails at once
        # ("database is locked") when another process or task wrote in between
        async with self.db.write() as conn:
            changed = await conn.execute(
                core_update(table).where(table.c.section == name).values(**values))
            if not changed.rowcount:
                await conn.execute(core_insert(table).values(section=name, **values))
        self._stamps[name] = stamp
        self._values[name] = new
        if new != old:
            self._notify(name, new)
        return old, new


def _best_effort(model: type[S], data: dict[str, Any]) -> S:
    value = model()
    for key, item in data.items():
        try:
            setattr(value, key, item)
        except ValidationError:
            continue
    return value
