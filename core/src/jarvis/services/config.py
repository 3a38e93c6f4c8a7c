"""Runtime settings stored in the database: validated sections, cached in memory."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import select

from ..db import Database
from ..errors import BadRequest
from ..models.config import ConfigEntry
from ..timeutil import utcnow
from ..web import validation_message

S = TypeVar("S", bound=BaseModel)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Limits(Section):
    max_tool_calls: int = Field(20, ge=1, le=1000)
    max_autonomous_runs_per_hour: int = Field(10, ge=0, le=100_000)
    max_concurrent_runs: int = Field(3, ge=1, le=1000)


class Security(Section):
    sanitize_enhanced: bool = False
    canary: bool = False
    llm_screen: bool = False
    llm_screen_model: str | None = None  # None: the default provider's small model
    llm_screen_timeout: float = Field(20.0, gt=0, le=300)
    taint_guard: bool = True  # side effects after untrusted input need confirmation or a grant


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


class AuditRetention(Section):
    days: int = Field(90, ge=1, le=36_500)


CORE_SECTIONS: dict[str, type[Section]] = {
    "limits": Limits,
    "security": Security,
    "general": General,
    "provider": ProviderChoice,
    "audit_retention": AuditRetention,
}


class ConfigStore:
    """Sections of runtime settings. Reads come from memory; writes go to the database first."""

    def __init__(self, db: Database):
        self.db = db
        self.sections: dict[str, type[BaseModel]] = dict(CORE_SECTIONS)
        self._values: dict[str, BaseModel] = {}

    def register(self, name: str, model: type[BaseModel]) -> None:
        """Add a section (plugins and subsystems may keep their own)."""
        self.sections[name] = model

    async def load(self) -> None:
        async with self.db.session() as s:
            rows = {row.section: row.value for row in (await s.exec(select(ConfigEntry))).all()}
        for name, model in self.sections.items():
            stored = json.loads(rows[name]) if name in rows else {}
            try:
                self._values[name] = model.model_validate(stored)
            except ValidationError:
                # A value stored by an older version that no longer validates: keep the defaults
                # for the fields that fail rather than refusing to start.
                good = {k: v for k, v in stored.items() if k in model.model_fields}
                self._values[name] = _best_effort(model, good)

    def get(self, name: str, model: type[S] | None = None) -> S:
        if name not in self._values:
            self._values[name] = self.sections[name]()
        return self._values[name]  # type: ignore[return-value]

    async def update(self, name: str, changes: dict[str, Any]) -> tuple[BaseModel, BaseModel]:
        """Validate and store a partial change; returns (old, new). Unknown keys are a 400."""
        model = self.sections[name]
        old = self.get(name)
        unknown = set(changes) - set(model.model_fields)
        if unknown:
            raise BadRequest(f"{sorted(unknown)[0]}: unknown setting")
        try:
            new = model.model_validate({**old.model_dump(), **changes})
        except ValidationError as err:
            raise BadRequest(validation_message(err), None) from None
        async with self.db.session() as s:
            row = await s.get(ConfigEntry, name)
            if row is None:
                row = ConfigEntry(section=name, value=new.model_dump_json())
            else:
                row.value = new.model_dump_json()
                row.updated_at = utcnow()
            s.add(row)
            await s.commit()
        self._values[name] = new
        return old, new


def _best_effort(model: type[S], data: dict[str, Any]) -> S:
    value = model()
    for key, item in data.items():
        try:
            setattr(value, key, item)
        except ValidationError:
            continue
    return value
