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


def serve_section(routes: Routes, path: str, section: str, model: type[BaseModel], *,
                  shows: str, changes: str, update_name: str = "") -> None:
    """``GET path``: the section's values; ``POST path``: a partial change of them, audited.

    ``shows`` and ``changes`` are the two routes' summaries; the body model is named
    ``update_name`` (default: the section model's name + ``Update``).
    """
    update = partial_model(model, update_name or f"{model.__name__}Update")

    async def read(request: web.Request) -> BaseModel:
        return request.app[CONFIG].get(section)

    async def write(request: web.Request, body: BaseModel) -> Ok:
        return await change(request, section, body)

    read.__name__, write.__name__ = f"get_{section}", f"set_{section}"
    routes.get(path, access=Access.ADMIN, response=model, summary=shows)(read)
    routes.post(path, access=Access.ADMIN, body=update, response=Ok, summary=changes)(write)


serve_section(routes, "/api/settings/limits", "limits", Limits, shows="Run limits",
              changes="Change run limits (max_concurrent_runs applies at once)")


@routes.get("/api/settings/provider", access=Access.ADMIN, response=ProviderSettings,
            summary="Default model provider and the loaded ones")
async def get_provider(request: web.Request) -> ProviderSettings:
    choice = request.app[CONFIG].get("provider")
    return ProviderSettings(
        default_provider=choice.default_provider, default_model=choice.default_model,
        available_providers=sorted(request.app[REGISTRY].providers),
    )


@routes.post("/api/settings/provider", access=Access.ADMIN,
             body=partial_model(ProviderChoice, "ProviderUpdate"), response=Ok,
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


serve_section(routes, "/api/settings/security", "security", Security,
              shows="Security switches", changes="Change security switches")
serve_section(routes, "/api/settings/audit-retention", "audit_retention", AuditRetention,
              shows="Days the audit log is kept",
              changes="Change how many days the audit log is kept")
serve_section(routes, "/api/settings/general", "general", General,
              shows="Agent name, persona and time zone",
              changes="Change the agent name, persona or time zone")
serve_section(routes, "/api/settings/storage", "storage", Storage,
              shows="The storage quota of each user's folder",
              changes="Change the storage quota of each user's folder (null: none)")


def setup_settings(app: web.Application) -> None:
    """Apply live settings: a new max_concurrent_runs resizes the run queue at once (also when
    another process changed it, seen on the store's refresh)."""
    queue = app[RUN_QUEUE]

    def resize(limits: BaseModel) -> None:
        if isinstance(limits, Limits):
            queue.set_limit(limits.max_concurrent_runs)

    app[CONFIG].on_change("limits", resize)
