"""User management [admin]: list, create, change, delete users, and their MFA."""

from __future__ import annotations

import asyncio
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..auth import accounts
from ..auth.reauth import require_recent
from ..auth.users import get_user, list_users
from ..keys import IDENTITY, RUNTIME, SETTINGS
from ..services import user_folders
from ..web import Access, Routes, current_user, principal
from .system import Ok

routes = Routes("users")

Role = Literal["admin", "user"]
# The user names the server takes (it trims and lower-cases them), as the description says it.
USERNAME_PATTERN = r"^\s*[A-Za-z0-9][A-Za-z0-9._-]{0,63}\s*$"


class UserOut(BaseModel):
    id: str
    username: str
    role: Role
    is_active: bool
    mfa_enabled: bool


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64,
                          json_schema_extra={"pattern": USERNAME_PATTERN})
    password: str = Field(min_length=8, max_length=1024)
    role: Role = "user"


class UserChange(BaseModel):
    """Partial update: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    is_active: bool | None = None
    password: str | None = Field(None, min_length=8, max_length=1024)


class UserCreated(BaseModel):
    id: str


class MfaEnrolment(BaseModel):
    provisioning_uri: str
    qr_code: str


@routes.get("/api/admin/users", access=Access.ADMIN, response=list[UserOut], summary="All users")
async def all_users(request: web.Request) -> list[UserOut]:
    return [UserOut(**u.as_dict()) for u in await list_users(request.app[IDENTITY].db)]


@routes.post("/api/admin/users", access=Access.ADMIN, body=UserIn, response=UserCreated, status=201,
             errors=(409,), summary="Create a user")
async def create(request: web.Request, body: UserIn) -> UserCreated:
    user = await accounts.create_user(
        request.app[IDENTITY], current_user(request), body.username, body.password, body.role
    )
    return UserCreated(id=user.id)


@routes.get("/api/admin/users/{id}", access=Access.ADMIN, response=UserOut, summary="One user")
async def one(request: web.Request) -> UserOut:
    user = await get_user(request.app[IDENTITY].db, request.match_info["id"])
    return UserOut(**user.as_dict())


@routes.put("/api/admin/users/{id}", access=Access.ADMIN, body=UserChange, response=Ok,
            errors=(409,),
            summary="Change role, active state or password (the last active admin stays)")
async def change(request: web.Request, body: UserChange) -> Ok:
    await accounts.update_user(
        request.app[IDENTITY],
        current_user(request),
        request.match_info["id"],
        role=body.role,
        is_active=body.is_active,
        password=body.password,
    )
    if body.is_active is False:  # a disabled user's runs end too (their sockets close)
        await request.app[RUNTIME].stop_user(request.match_info["id"])
    return Ok()


@routes.delete("/api/admin/users/{id}", access=Access.ADMIN, response=Ok, errors=(409,),
                summary="Delete a user (the last active admin stays)")
async def remove(request: web.Request) -> Ok:
    await accounts.delete_user(
        request.app[IDENTITY], current_user(request), request.match_info["id"]
    )
    await request.app[RUNTIME].stop_user(request.match_info["id"])
    # after the runs stopped: none of them writes into the folder again
    await asyncio.to_thread(user_folders.remove, request.app[SETTINGS], request.match_info["id"])
    return Ok()


@routes.post("/api/users/{id}/unlock", access=Access.ADMIN, response=Ok,
             summary="Lift a user's lockout after wrong passwords or codes, from every source")
async def unlock(request: web.Request) -> Ok:
    await accounts.unlock_user(
        request.app[IDENTITY], current_user(request), request.match_info["id"]
    )
    return Ok()


@routes.post("/api/admin/users/{id}/mfa-setup", access=Access.ADMIN, response=MfaEnrolment,
             summary="New TOTP secret for a user; MFA is on at once")
async def mfa_setup(request: web.Request) -> MfaEnrolment:
    await require_recent(request.app[IDENTITY], principal(request))
    return MfaEnrolment(
        **await accounts.admin_mfa_setup(
            request.app[IDENTITY], current_user(request), request.match_info["id"]
        )
    )


@routes.post("/api/admin/users/{id}/mfa-disable", access=Access.ADMIN, response=Ok,
             summary="Turn a user's MFA off")
async def mfa_disable(request: web.Request) -> Ok:
    await require_recent(request.app[IDENTITY], principal(request))
    await accounts.admin_mfa_disable(
        request.app[IDENTITY], current_user(request), request.match_info["id"]
    )
    return Ok()
