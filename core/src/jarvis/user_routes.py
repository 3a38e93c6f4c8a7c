"""The routes every plugin with per-user settings has: read them, forget them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from .context import plugin_context
from .web import Access, Ok, Routes, audit_action, current_user

View = Callable[[Any, Any, str], Awaitable[dict[str, Any]]]  # (db, vault, user_id) -> fields
Remove = Callable[[Any, Any, str], Awaitable[bool]]  # (db, vault, user_id) -> anything removed


def user_settings_routes(routes: Routes, path: str, *, label: str, response: type[BaseModel],
                         view: View, remove: Remove, read_summary: str,
                         forget_summary: str) -> None:
    """Declare ``GET path`` (the caller's settings as ``view`` shows them, as ``response``)
    and ``DELETE path`` (``remove`` them, audited as "<label> settings removed"). The plugin
    declares its own ``POST path``: what it saves differs from plugin to plugin."""

    async def read_settings(request: web.Request) -> BaseModel:
        context = plugin_context(request)
        return response(**await view(context.db, context.vault, current_user(request).id))

    async def forget_settings(request: web.Request) -> Ok:
        context = plugin_context(request)
        if await remove(context.db, context.vault, current_user(request).id):
            await audit_action(request, "settings_changed", f"{label} settings removed",
                               plugin=context.name)
        return Ok()

    routes.get(path, access=Access.USER, response=response, summary=read_summary)(read_settings)
    routes.delete(path, access=Access.USER, response=Ok, summary=forget_summary)(
        forget_settings)
