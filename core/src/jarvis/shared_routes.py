"""Route sets plugins share: a list of entries (a whitelist), per-user settings and logins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from .context import PluginContext, plugin_context
from .entries import EntryList
from .services.user_settings import ServerLogins
from .web import Access, Ok, Routes, audit_action, current_user

Key = Callable[[PluginContext, str], Awaitable[str]]  # (context, given) -> the key stored
Remover = Callable[[PluginContext, str, str | None], Awaitable[str]]  # -> the key removed
View = Callable[[Any, Any, str], Awaitable[dict[str, Any]]]  # (db, vault, user_id) -> fields
Remove = Callable[[Any, Any, str], Awaitable[bool]]  # (db, vault, user_id) -> anything removed
# (context, user_id, body) -> what the audit entry records of the change (never a secret)
Save = Callable[[PluginContext, str, Any], Awaitable[dict[str, Any]]]


def user_settings_routes(routes: Routes, path: str, *, label: str, body: type[BaseModel],
                         response: type[BaseModel], view: View, save: Save, remove: Remove,
                         summaries: tuple[str, str, str]) -> None:
    """Declare ``GET path`` (the caller's settings as ``view`` shows them, as ``response``),
    ``POST path`` (``save`` the body, audited as "<label> settings changed" with what ``save``
    returns; answers the settings as GET does) and ``DELETE path`` (``remove`` them, audited
    as "<label> settings removed"). ``summaries``: of the GET, POST and DELETE."""

    async def read_settings(request: web.Request) -> BaseModel:
        context = plugin_context(request)
        return response(**await view(context.db, context.vault, current_user(request).id))

    async def write_settings(request: web.Request, body: BaseModel) -> BaseModel:
        context, user_id = plugin_context(request), current_user(request).id
        detail = await save(context, user_id, body)
        await audit_action(request, "settings_changed", f"{label} settings changed",
                           plugin=context.name, **detail)
        return response(**await view(context.db, context.vault, user_id))

    async def forget_settings(request: web.Request) -> Ok:
        context = plugin_context(request)
        if await remove(context.db, context.vault, current_user(request).id):
            await audit_action(request, "settings_changed", f"{label} settings removed",
                               plugin=context.name)
        return Ok()

    routes.get(path, access=Access.USER, response=response, summary=summaries[0])(read_settings)
    routes.post(path, access=Access.USER, body=body, response=response,
                summary=summaries[1])(write_settings)
    routes.delete(path, access=Access.USER, response=Ok, summary=summaries[2])(forget_settings)


def server_login_routes(routes: Routes, path: str, *, label: str, body: type[BaseModel],
                        response: type[BaseModel], logins: ServerLogins[Any],
                        holds: str) -> None:
    """``user_settings_routes`` for a user's login on a ``label`` server kept by ``logins``
    (``holds``: what the plugin's own fields name, for the POST's summary)."""
    user_settings_routes(
        routes, path, label=label, body=body, response=response, view=logins.view,
        save=logins.save_body, remove=logins.remove,
        summaries=(f"Your {label} server and login (the password is never shown)",
                   f"Set your {label} server, login and {holds}",
                   f"Forget your {label} settings and password"))


def entry_routes(routes: Routes, path: str, entries: EntryList, *, access: Access,
                 body: type[BaseModel], response: type[BaseModel], summaries: tuple[str, str, str],
                 added: tuple[str, str], removed: tuple[str, str], kind: str = "admin",
                 to_add: Key, to_remove: Key | None = None, remove: Remover | None = None,
                 audited: tuple[str, ...] = (), param: str | None = None) -> None:
    """Declare ``GET path`` (the entries), ``POST path`` (add one: 201, 409 when present) and
    ``DELETE path/{<key>}`` (remove one: 404 when absent) for ``entries``, each user's own list
    when it is per user. The body's field named like the key column is turned into the key by
    ``to_add`` (raise BadRequest for a bad one); its other fields are stored as they are.
    ``to_remove`` turns the path's key into the stored one (raise NotFound), or ``remove``
    does the whole removal and returns the key removed. ``added`` and ``removed`` are the audit
    action and summary (``{key}`` and the body's fields may appear in it); ``audited`` names
    body fields the audit entry keeps besides the key. ``summaries``: of the GET, POST and
    DELETE, for the API description. ``param`` is the path parameter (default ``{<key>}``;
    ``{path:.+}`` for a key with slashes)."""
    name = entries.key.name
    mine = entries.per_user
    param = param or f"{{{name}}}"
    param_name = param.strip("{}").split(":")[0]

    async def list_entries(request: web.Request) -> list[BaseModel]:
        user_id = current_user(request).id if mine else None
        return [response(**row) for row in await entries.rows(plugin_context(request).db,
                                                              user_id)]

    async def add_entry(request: web.Request, body: BaseModel) -> Ok:
        context = plugin_context(request)
        key = await to_add(context, getattr(body, name))
        columns = body.model_dump(exclude={name})
        await entries.add(context.db, key, current_user(request).id if mine else None, **columns)
        await audit_action(request, added[0], added[1].format(key=key, **columns), kind=kind,
                           **{name: key}, **{f: columns[f] for f in audited})
        return Ok()

    async def remove_entry(request: web.Request) -> Ok:
        context, given = plugin_context(request), request.match_info[param_name]
        user_id = current_user(request).id if mine else None
        if remove is not None:
            key = await remove(context, given, user_id)
        else:
            key = await to_remove(context, given) if to_remove is not None else given
            await entries.remove(context.db, key, user_id)
        await audit_action(request, removed[0], removed[1].format(key=key), kind=kind,
                           **{name: key})
        return Ok()

    routes.get(path, access=access, response=list[response],  # type: ignore[valid-type]
               summary=summaries[0])(list_entries)
    routes.post(path, access=access, body=body, response=Ok, status=201, errors=(409,),
                summary=summaries[1])(add_entry)
    routes.delete(f"{path}/{param}", access=access, response=Ok, summary=summaries[2])(
        remove_entry)
