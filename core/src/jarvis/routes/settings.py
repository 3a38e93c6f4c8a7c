"""Runtime settings [admin]: limits, provider, security switches, audit retention, general.

Each POST is a partial change: only the fields given change, unknown fields and wrong types are
a 400 naming the field, and the change is audited with its old and new values.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, create_model

from ..errors import BadRequest
from ..keys import AUDIT, CONFIG, REGISTRY, RUN_QUEUE
from ..services.audit import AuditEvent
from ..services.config import (
    AuditRetention,
    General,
    Limits,
    ProviderChoice,
    Security,
    Storage,
)
from ..web import Access, Routes, current_user
from .system import Ok

routes = Routes("settings")


def partial_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """The section's fields, all optional, strictly typed, unknown ones refused."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default = None  # absent means unchanged; an explicit null is checked later
        fields[field_name] = (info.annotation, optional)
    # At least one field: an empty change is refused ("no settings given").
    config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"minProperties": 1})
    return create_model(name, __config__=config, **fields)


LimitsUpdate = partial_model(Limits, "LimitsUpdate")
SecurityUpdate = partial_model(Security, "SecurityUpdate")
GeneralUpdate = partial_model(General, "GeneralUpdate")
ProviderUpdate = partial_model(ProviderChoice, "ProviderUpdate")
RetentionUpdate = partial_model(AuditRetention, "AuditRetentionUpdate")
StorageUpdate = partial_model(Storage, "StorageUpdate")


class ProviderSettings(BaseModel):
    default_provider: str
    default_model: str | None = None
    available_providers: list[str]


async def change(request: web.Request, section: str, body: BaseModel) -> Ok:
    """Store a partial change of one section and audit it (old and new values)."""
    changes = body.model_dump(exclude_unset=True)
    old, new = await request.app[CONFIG].update(section, changes)
    user = current_user(request)
    await request.app[AUDIT].record(AuditEvent(
        "admin", "settings_changed", user_id=user.id, username=user.username,
        summary=f"{section} settings changed: {', '.join(sorted(changes))}",
        detail={
            "section": section,
            "old": {k: getattr(old, k) for k in changes},
            "new": {k: getattr(new, k) for k in changes},
        },
    ))
    return Ok()


@routes.get("/api/settings/limits", access=Access.ADMIN, response=Limits, summary="Run limits")
async def get_limits(request: web.Request) -> BaseModel:
    return request.app[CONFIG].get("limits")


@routes.post("/api/settings/limits", access=Access.ADMIN, body=LimitsUpdate, response=Ok,
             summary="Change run limits (max_concurrent_runs applies at once)")
async def set_limits(request: web.Request, body: BaseModel) -> Ok:
    return await change(request, "limits", body)


@routes.get("/api/settings/provider", access=Access.ADMIN, response=ProviderSettings,
            summary="Default model provider and the loaded ones")
async def get_provider(request: web.Request) -> ProviderSettings:
    choice = request.app[CONFIG].get("provider")
    return ProviderSettings(
        default_provider=choice.default_provider, default_model=choice.default_model,
        available_providers=sorted(request.app[REGISTRY].providers),
    )


@routes.post("/api/settings/provider", access=Access.ADMIN, body=ProviderUpdate, response=Ok,
             summary="Change the default provider (it must be loaded)")
async def set_provider(request: web.Request, body: BaseModel) -> Ok:
    wanted = body.model_dump(exclude_unset=True).get("default_provider")
    loaded = sorted(request.app[REGISTRY].providers)
    if wanted is not None and wanted not in loaded:
        raise BadRequest(
            f"default_provider: {wanted!r} is not a loaded provider "
            f"(loaded: {', '.join(loaded) or 'none'})"
        )
    return await change(request, "provider", body)


@routes.get("/api/settings/security", access=Access.ADMIN, response=Security,
            summary="Security switches")
async def get_security(request: web.Request) -> BaseModel:
    return request.app[CONFIG].get("security")


@routes.post("/api/settings/security", access=Access.ADMIN, body=SecurityUpdate, response=Ok,
             summary="Change security switches")
async def set_security(request: web.Request, body: BaseModel) -> Ok:
    return await change(request, "security", body)


@routes.get("/api/settings/audit-retention", access=Access.ADMIN, response=AuditRetention,
            summary="Days the audit log is kept")
async def get_retention(request: web.Request) -> BaseModel:
    return request.app[CONFIG].get("audit_retention")


@routes.post("/api/settings/audit-retention", access=Access.ADMIN, body=RetentionUpdate,
             response=Ok, summary="Change how many days the audit log is kept")
async def set_retention(request: web.Request, body: BaseModel) -> Ok:
    return await change(request, "audit_retention", body)


@routes.get("/api/settings/general", access=Access.ADMIN, response=General,
            summary="Agent name, persona and time zone")
async def get_general(request: web.Request) -> BaseModel:
    return request.app[CONFIG].get("general")


@routes.post("/api/settings/general", access=Access.ADMIN, body=GeneralUpdate, response=Ok,
             summary="Change the agent name, persona or time zone")
async def set_general(request: web.Request, body: BaseModel) -> Ok:
    return await change(request, "general", body)


@routes.get("/api/settings/storage", access=Access.ADMIN, response=Storage,
            summary="The storage quota of each user's folder")
async def get_storage(request: web.Request) -> BaseModel:
    return request.app[CONFIG].get("storage")


@routes.post("/api/settings/storage", access=Access.ADMIN, body=StorageUpdate, response=Ok,
             summary="Change the storage quota of each user's folder (null: none)")
async def set_storage(request: web.Request, body: BaseModel) -> Ok:
    return await change(request, "storage", body)


def setup_settings(app: web.Application) -> None:
    """Apply live settings: a new max_concurrent_runs resizes the run queue at once (also when
    another process changed it, seen on the store's refresh)."""
    queue = app[RUN_QUEUE]
    app[CONFIG].on_change("limits", lambda limits: queue.set_limit(limits.max_concurrent_runs))
