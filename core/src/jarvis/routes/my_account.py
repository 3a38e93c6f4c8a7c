"""The caller's own account: password, MFA and API keys."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from ..auth import accounts
from ..auth.http import client_address
from ..auth.identity import Identity
from ..auth.login import change_own_password
from ..auth.reauth import require_password_or_recent, require_recent
from ..keys import IDENTITY
from ..web import Access, Principal, Routes, principal
from .system import Ok
from .users import MfaEnrolment

routes = Routes("my-account")


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=8, max_length=1024)
    keep_api_keys: bool = False  # by default the change deletes the user's API keys too


class CodeIn(BaseModel):
    code: str = Field(min_length=6, max_length=10)


class KeyOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    # Required when the caller authenticates with an API key; a session re-authenticates.
    password: str | None = Field(None, min_length=1, max_length=1024)


class KeyCreated(BaseModel):
    id: str
    key: str


@routes.post("/api/my/password", access=Access.USER, body=PasswordChange, response=Ok,
             errors=(429,),
             summary="Change my password; my other sessions end, and my API keys are deleted "
                     "unless keep_api_keys is true")
async def password(request: web.Request, body: PasswordChange) -> Ok:
    ident = request.app[IDENTITY]
    await change_own_password(
        ident,
        principal(request),
        body.current_password,
        body.new_password,
        client_address(request, ident.trusted),
        keep_api_keys=body.keep_api_keys,
    )
    return Ok()


async def _recently_confirmed(request: web.Request) -> tuple[Identity, Principal]:
    """The identity service and the caller, who must have re-authenticated lately."""
    ident, caller = request.app[IDENTITY], principal(request)
    await require_recent(ident, caller)
    return ident, caller


@routes.post("/api/my/mfa-setup", access=Access.USER, response=MfaEnrolment, errors=(409,),
             summary="New TOTP secret; MFA turns on with POST /api/my/mfa-confirm")
async def mfa_setup(request: web.Request) -> MfaEnrolment:
    return MfaEnrolment(**await accounts.my_mfa_setup(*await _recently_confirmed(request)))


@routes.post("/api/my/mfa-confirm", access=Access.USER, body=CodeIn, response=Ok, errors=(409,),
             summary="Turn MFA on with a code of the new secret")
async def mfa_confirm(request: web.Request, body: CodeIn) -> Ok:
    await accounts.my_mfa_confirm(*await _recently_confirmed(request), body.code)
    return Ok()


@routes.post("/api/my/mfa-disable", access=Access.USER, body=CodeIn, response=Ok, errors=(409,),
             summary="Turn MFA off with a current code")
async def mfa_disable(request: web.Request, body: CodeIn) -> Ok:
    await accounts.my_mfa_disable(*await _recently_confirmed(request), body.code)
    return Ok()


@routes.get("/api/my/api-keys", access=Access.USER, response=list[KeyOut], summary="My API keys")
async def keys(request: web.Request) -> list[KeyOut]:
    return [KeyOut(**k) for k in await request.app[IDENTITY].keys.list(principal(request).user.id)]


@routes.post("/api/my/api-keys", access=Access.USER, body=KeyIn, response=KeyCreated, status=201,
             errors=(401, 409, 429),
             summary="New API key (shown this once); needs a recent re-authentication, or with "
                     "an API key the password")
async def create_key(request: web.Request, body: KeyIn) -> KeyCreated:
    caller = principal(request)
    ident = request.app[IDENTITY]
    await require_password_or_recent(
        ident, caller, body.password, client_address(request, ident.trusted)
    )
    created = await accounts.create_api_key(
        ident, caller.user, body.name, session_id=caller.session_id
    )
    return KeyCreated(id=created["id"], key=created["key"])


@routes.delete("/api/my/api-keys/{id}", access=Access.OWNER, response=Ok,
               summary="Delete one of my API keys; it stops working at once")
async def delete_key(request: web.Request) -> Ok:
    caller = principal(request)
    await accounts.delete_api_key(
        request.app[IDENTITY], caller.user, request.match_info["id"], session_id=caller.session_id
    )
    return Ok()
