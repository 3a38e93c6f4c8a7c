"""Outgoing targets: rows in webhook_targets, their header values in the vault.

No aiohttp here: the routes, the tool and the policy call these functions.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from jarvis import BadRequest, Conflict, NotFound, OutboundRefused, new_id
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import template
from .models import WebhookTarget

table = WebhookTarget.__table__  # type: ignore[attr-defined]
NAME = r"^[a-z][a-z0-9_-]{0,63}$"
HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")  # an RFC 9110 token
FORBIDDEN_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


def _headers(value: dict[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    if len(value) > 30:
        raise ValueError("at most 30 headers")
    for name, text in value.items():
        if not HEADER.match(name) or name.lower() in FORBIDDEN_HEADERS:
            raise ValueError(f"{name!r} is not a header this target may set")
        if len(text) > 4000 or any(c in text for c in "\r\n\x00"):
            raise ValueError(f"the value of {name} is too long or has line breaks")
    return value


class TargetIn(BaseModel):
    """The body of ``POST /api/webhooks/targets``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, json_schema_extra={"pattern": NAME},
                      description="what agents call it by")
    url: str = Field(min_length=1, max_length=2000)
    method: Method = "POST"
    headers: dict[str, str] | None = Field(
        None, description="sent with every call (e.g. Authorization); kept in the vault and "
                          "never shown again")
    content_type: str = Field("application/json", min_length=1, max_length=100)
    body_template: str | None = Field(None, max_length=100_000, description=(
        "the body, with {{name}} placeholders the agent fills in"))
    description: str = Field("", max_length=500, description="shown to the agent's owner")
    admin_only: bool = False
    confirm: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.match(NAME, value):
            raise ValueError("lower-case letters, digits, - and _, starting with a letter")
        return value

    _check_headers = field_validator("headers")(_headers)


class TargetUpdate(BaseModel):
    """The body of ``PUT /api/webhooks/targets/{id}``: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(None, min_length=1, max_length=2000)  # type: ignore[assignment]
    method: Method = None  # type: ignore[assignment]
    headers: dict[str, str] | None = Field(None, description="replaces them all; {} clears")
    content_type: str = Field(None, min_length=1, max_length=100)  # type: ignore[assignment]
    body_template: str | None = Field(None, max_length=100_000)
    description: str = Field(None, max_length=500)  # type: ignore[assignment]
    admin_only: bool = None  # type: ignore[assignment]
    confirm: bool = None  # type: ignore[assignment]

    _check_headers = field_validator("headers")(_headers)


def headers_key(target_id: str) -> str:
    return f"internal:webhooks:{target_id}:headers"


def out(row: Any) -> dict[str, Any]:
    """A target as the API shows it: the names of its headers, never their values."""
    return {"id": row.id, "name": row.name, "url": row.url, "method": row.method,
            "content_type": row.content_type, "body_template": row.body_template,
            "fields": template.fields(row.body_template),
            "header_names": json.loads(row.header_names), "description": row.description,
            "admin_only": bool(row.admin_only), "confirm": bool(row.confirm),
            "created_at": row.created_at, "updated_at": row.updated_at}


def _validate(values: dict[str, Any], http: Any) -> None:
    try:
        url = http.check_url(values["url"])
    except OutboundRefused as err:
        raise BadRequest(f"url: refused by the outbound guard: {err}") from None
    if url.scheme not in ("http", "https"):
        raise BadRequest("url: must be an http(s) URL")
    try:
        template.check(values.get("body_template"), values["content_type"])
    except ValueError as err:
        raise BadRequest(f"body_template: {err}") from None
    if values.get("body_template") and values["method"] == "GET":
        raise BadRequest("body_template: a GET request has no body")


async def create(db: Any, vault: Any, http: Any, body: TargetIn, now: Any) -> Any:
    values = body.model_dump(exclude={"headers"})
    _validate(values, http)
    target_id = new_id()
    values.update(id=target_id, header_names=json.dumps(sorted(body.headers or {})),
                  created_at=now, updated_at=now)
    if body.headers:
        await vault.put(headers_key(target_id), json.dumps(body.headers),
                        f"webhook target {body.name}: headers")
    try:
        async with db.write() as conn:
            await conn.execute(insert(table).values(**values))
    except IntegrityError:
        await vault.delete(headers_key(target_id))
        raise Conflict(f"name: there is already a webhook target named {body.name}") from None
    return await get(db, target_id)


async def get(db: Any, target_id: str) -> Any:
    async with db.read() as conn:
        row = (await conn.execute(select(table).where(table.c.id == target_id))).first()
    if row is None:
        raise NotFound("webhook target not found")
    return row


async def by_name(db: Any, name: str) -> Any:
    """The target named ``name``, or None."""
    async with db.read() as conn:
        return (await conn.execute(select(table).where(table.c.name == name))).first()


async def all_targets(db: Any) -> list[Any]:
    async with db.read() as conn:
        return list((await conn.execute(select(table).order_by(table.c.name))).all())


async def change(db: Any, vault: Any, http: Any, target_id: str, body: TargetUpdate,
                 now: Any) -> Any:
    row = await get(db, target_id)
    changes = body.model_dump(exclude_unset=True, exclude={"headers"})
    for key in ("url", "method", "content_type", "description", "admin_only", "confirm"):
        if key in changes and changes[key] is None:
            raise BadRequest(f"{key}: must not be null")
    merged = {k: getattr(row, k) for k in ("url", "method", "content_type", "body_template")}
    _validate(merged | changes, http)
    if "headers" in body.model_fields_set:
        headers = body.headers or {}
        changes["header_names"] = json.dumps(sorted(headers))
        if headers:
            await vault.put(headers_key(target_id), json.dumps(headers),
                            f"webhook target {row.name}: headers")
        else:
            await vault.delete(headers_key(target_id))
    async with db.write() as conn:
        await conn.execute(update(table).where(table.c.id == target_id)
                           .values(updated_at=now, **changes))
    return await get(db, target_id)


async def remove(db: Any, vault: Any, target_id: str) -> Any:
    row = await get(db, target_id)
    async with db.write() as conn:
        await conn.execute(delete(table).where(table.c.id == target_id))
    await vault.delete(headers_key(target_id))
    return row


async def headers_of(vault: Any, target_id: str) -> dict[str, str]:
    raw = await vault.get(headers_key(target_id))
    return json.loads(raw) if raw else {}
