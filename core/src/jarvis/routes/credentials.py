"""Credentials [admin]: the encrypted key-value store for API keys and system secrets.

Keys in the ``user:`` and ``internal:`` namespaces belong to other features (per-user plugin
secrets, TOTP secrets): this API never lists, returns, writes or deletes them (404 / 400).
A stored value that no longer decrypts (altered, or copied from another credential's row)
answers 409 "credential cannot be decrypted": setting the value again resolves it.
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from ..auth.reauth import require_recent
from ..errors import BadRequest, NotFound
from ..keys import AUDIT, IDENTITY, VAULT
from ..services.audit import AuditEvent
from ..services.vault import (
    KEY_PATTERN,
    MAX_DESCRIPTION_CHARS,
    MAX_VALUE_CHARS,
    CredentialUnreadable,
    is_reserved,
    validate_key,
)
from ..timeutil import iso
from ..web import Access, Routes, current_user, principal
from .system import Ok

routes = Routes("credentials")


class CredentialMetaOut(BaseModel):
    key: str
    description: str
    updated_at: str


class CredentialOut(BaseModel):
    key: str
    value: str
    description: str
    updated_at: str


class CredentialKey(BaseModel):
    key: str = Field(pattern=KEY_PATTERN.pattern)


# What the description promises for a new key: the pattern, outside the reserved namespaces.
_WRITABLE_KEY = r"^(?![Uu][Ss][Ee][Rr]:|[Ii][Nn][Tt][Ee][Rr][Nn][Aa][Ll]:)[A-Za-z0-9_.:-]{1,200}$"


class CredentialIn(BaseModel):
    key: str = Field(pattern=KEY_PATTERN.pattern, json_schema_extra={"pattern": _WRITABLE_KEY})
    value: str = Field(min_length=1, max_length=MAX_VALUE_CHARS)
    # Left out on a replace: the stored description stays.
    description: str | None = Field(None, max_length=MAX_DESCRIPTION_CHARS)


async def _audit(
    request: web.Request, action: str, key: str, kind: str = "admin", **detail: object
) -> None:
    user = current_user(request)
    await request.app[AUDIT].record(AuditEvent(
        kind, action, user_id=user.id, username=user.username, summary=f"{action} {key}",
        detail={"key": key, **detail},
    ))


def _public_key(key: str) -> str:
    validate_key(key)
    if is_reserved(key):
        raise NotFound("credential not found")
    return key


@routes.get("/api/credentials", access=Access.ADMIN, response=list[CredentialMetaOut],
            summary="Credential keys and descriptions (never values)")
async def list_credentials(request: web.Request) -> list[CredentialMetaOut]:
    metas = await request.app[VAULT].list_public()
    return [CredentialMetaOut(key=m.key, description=m.description, updated_at=iso(m.updated_at))
            for m in metas]


@routes.get("/api/credentials/{key}", access=Access.ADMIN, response=CredentialOut,
            path_params=CredentialKey, errors=(409,),
            summary="One credential with its decrypted value (a session needs a recent "
                    "POST /api/auth/reauth)")
async def get_credential(request: web.Request) -> CredentialOut:
    key = _public_key(request.match_info["key"])
    await require_recent(request.app[IDENTITY], principal(request))
    try:
        found = await request.app[VAULT].entry(key)
    except CredentialUnreadable:
        await _audit(request, "credential_unreadable", key, kind="security")
        raise
    if found is None:
        raise NotFound("credential not found")
    meta, value = found
    await _audit(request, "credential_read", key)
    return CredentialOut(key=key, value=value, description=meta.description,
                         updated_at=iso(meta.updated_at))


@routes.post("/api/credentials", access=Access.ADMIN, body=CredentialIn, response=Ok,
             summary="Create or replace a credential")
async def set_credential(request: web.Request, body: CredentialIn) -> Ok:
    if is_reserved(body.key):
        raise BadRequest("key: the user: and internal: namespaces are reserved")
    vault = request.app[VAULT]
    replaced = await vault.exists(body.key)
    await vault.put(body.key, body.value, body.description)
    await _audit(request, "credential_set", body.key, replaced=replaced)
    return Ok()


@routes.delete("/api/credentials/{key}", access=Access.ADMIN, response=Ok,
               path_params=CredentialKey, summary="Delete a credential")
async def delete_credential(request: web.Request) -> Ok:
    key = _public_key(request.match_info["key"])
    if not await request.app[VAULT].delete(key):
        raise NotFound("credential not found")
    await _audit(request, "credential_deleted", key)
    return Ok()
