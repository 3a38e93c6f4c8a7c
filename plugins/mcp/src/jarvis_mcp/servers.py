"""The MCP servers users and admins added: rules, storage, secrets in the vault (no aiohttp)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from jarvis import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    UserRef,
    new_id,
    table_of,
    utcnow,
)
from sqlalchemy import delete, insert, or_, select, update

from .link import ServerSpec
from .models import McpServerRow
from .names import SERVER_NAME, SERVER_NAME_MAX
from .schemas import ServerCreate, ServerUpdate
from .settings import McpSettings

table = table_of(McpServerRow)
SECRETS = ("headers", "env")
FIELDS = ("name", "transport", "url", "command", "args", "shared", "enabled", "call_timeout",
          "max_result_chars")


def vault_key(user_id: str, server_id: str, which: str) -> str:
    """A server's headers or environment, in its owner's vault space."""
    return f"user:{user_id}:mcp:{server_id}:{which}"


def visible(user: UserRef) -> Any:
    return or_(table.c.user_id == user.id, table.c.shared.is_(True))


async def list_rows(db: Any, user: UserRef) -> list[Any]:
    """The user's own servers and the shared ones, oldest first."""
    async with db.read() as conn:
        return list((await conn.execute(
            select(table).where(visible(user)).order_by(table.c.created_at, table.c.id))).all())


async def get_row(db: Any, user: UserRef, server_id: str) -> Any:
    """A server the user may see; NotFound for a missing one and for anyone else's."""
    async with db.read() as conn:
        row = (await conn.execute(
            select(table).where(table.c.id == server_id, visible(user)))).first()
    if row is None:
        raise NotFound("MCP server not found")
    return row


def _editable(row: Any, user: UserRef) -> None:
    if row.user_id != user.id and not user.is_admin:
        raise Forbidden("only admins change a shared MCP server")


async def _check(values: dict[str, Any], user: UserRef, policy: OutboundPolicy,
                 settings: McpSettings) -> None:
    """Rules across fields, checked on the merged server."""
    name = values["name"]
    if not SERVER_NAME.match(name) or len(name) > SERVER_NAME_MAX:
        raise BadRequest("name: lower-case letters and digits, words joined by single "
                         f"underscores, at most {SERVER_NAME_MAX} characters (e.g. files_2)")
    if values["shared"] and not user.is_admin:
        raise Forbidden("shared: only admins add servers for everyone")
    if values["transport"] == "stdio":
        if not user.is_admin:
            raise Forbidden("transport: only admins add stdio servers (a command run on the "
                            "server)")
        if not settings.allow_stdio:
            raise Forbidden("transport: stdio servers are turned off on this server "
                            "([plugins.mcp] allow_stdio)")
        if not values.get("command"):
            raise BadRequest("command: a stdio server needs the command to run")
        if values.get("url"):
            raise BadRequest("url: a stdio server has no URL")
        return
    if values.get("command") or values.get("args"):
        raise BadRequest("command: only a stdio server runs a command")
    url = values.get("url")
    if not url:
        raise BadRequest(f"url: an {values['transport']} server needs its URL")
    try:
        parsed = policy.check_url(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        await asyncio.to_thread(policy.check_host_sync, parsed.raw_host or "", port)
    except OutboundRefused as err:
        raise BadRequest(f"url: refused by the outbound guard: {err}") from None
    except OutboundError:
        pass  # a name that does not resolve now: the status will say so


async def _unique(conn: Any, values: dict[str, Any], owner: str, server_id: str | None) -> None:
    # one name among the owner's own servers and the shared ones
    clash = or_(table.c.user_id == owner, table.c.shared.is_(True))
    query = select(table.c.id).where(table.c.name == values["name"], clash)
    if server_id is not None:
        query = query.where(table.c.id != server_id)
    if (await conn.execute(query)).first() is not None:
        raise Conflict(f"name: you already have an MCP server named {values['name']}")


async def _put_secrets(vault: Any, owner: str, server_id: str, secrets: dict[str, Any]) -> None:
    for which, value in secrets.items():
        if value is None:
            continue
        key = vault_key(owner, server_id, which)
        if value:
            await vault.put(key, json.dumps(value), f"MCP server {which}")
        else:
            await vault.delete(key)


async def create(db: Any, vault: Any, user: UserRef, body: ServerCreate,
                 policy: OutboundPolicy, settings: McpSettings) -> str:
    values = body.model_dump(include=set(FIELDS))
    values["args"] = values["args"] or []
    values["enabled"] = True if values["enabled"] is None else values["enabled"]
    await _check(values, user, policy, settings)
    server_id, now = new_id(), utcnow()
    values["args"] = json.dumps(values["args"])
    async with db.write() as conn:
        await _unique(conn, values, user.id, None)
        await conn.execute(insert(table).values(
            id=server_id, user_id=user.id, created_at=now, updated_at=now, **values))
    await _put_secrets(vault, user.id, server_id, {"headers": body.headers, "env": body.env})
    return server_id


async def change(db: Any, vault: Any, user: UserRef, server_id: str, body: ServerUpdate,
                 policy: OutboundPolicy, settings: McpSettings) -> None:
    row = await get_row(db, user, server_id)
    _editable(row, user)
    changes = body.model_dump(include=set(FIELDS), exclude_unset=True)
    for key in ("name", "transport", "shared", "enabled"):
        if key in changes and changes[key] is None:
            raise BadRequest(f"{key}: must not be null")
    merged = {k: row._mapping[k] for k in FIELDS} | changes
    merged["args"] = changes["args"] if "args" in changes else json.loads(row.args)
    merged["args"] = merged["args"] or []
    await _check(merged, user, policy, settings)
    if "args" in changes:
        changes["args"] = json.dumps(merged["args"])
    async with db.write() as conn:
        await _unique(conn, merged, row.user_id, server_id)
        await conn.execute(update(table).where(table.c.id == server_id)
                           .values(updated_at=utcnow(), **changes))
    await _put_secrets(vault, row.user_id, server_id, {"headers": body.headers, "env": body.env})


async def remove(db: Any, vault: Any, user: UserRef, server_id: str) -> Any:
    row = await get_row(db, user, server_id)
    _editable(row, user)
    async with db.write() as conn:
        await conn.execute(delete(table).where(table.c.id == server_id))
    for which in SECRETS:
        await vault.delete(vault_key(row.user_id, server_id, which))
    return row


async def secret_names(vault: Any, row: Any) -> dict[str, list[str]]:
    """The names (never the values) of a server's headers and environment."""
    out = {}
    for which in SECRETS:
        raw = await vault.get(vault_key(row.user_id, row.id, which))
        out[which] = sorted(json.loads(raw)) if raw else []
    return out


async def enabled_specs(db: Any, vault: Any, settings: McpSettings) -> list[ServerSpec]:
    """Every enabled server with its secrets, for the connections."""
    async with db.read() as conn:
        rows = (await conn.execute(select(table).where(table.c.enabled.is_(True)))).all()
    specs = []
    for row in rows:
        secrets = {}
        for which in SECRETS:
            raw = await vault.get(vault_key(row.user_id, row.id, which))
            secrets[which] = json.loads(raw) if raw else {}
        specs.append(ServerSpec(
            id=row.id, user_id=row.user_id, shared=row.shared, name=row.name,
            transport=row.transport, url=row.url, command=row.command, args=json.loads(row.args),
            call_timeout=row.call_timeout or settings.call_timeout,
            max_result_chars=row.max_result_chars or settings.max_result_chars,
            version=row.updated_at, headers=secrets["headers"], env=secrets["env"]))
    return specs
