"""First-run setup, login (password, then TOTP), logout, and who am I."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from ..auth.http import (
    clear_session_cookie,
    client_address,
    is_https,
    same_origin,
    set_session_cookie,
)
from ..auth.identity import Identity
from ..auth.login import LoginResult, logout, mfa_login, password_login
from ..auth.reauth import reauthenticate
from ..auth.sessions import SESSION_LIFETIME
from ..auth.setup import complete_setup, setup_needed
from ..auth.users import get_user
from ..errors import Forbidden
from ..keys import IDENTITY
from ..timeutil import iso
from ..web import Access, Routes, json_response, principal
from .system import Ok
from .users import USERNAME_PATTERN

routes = Routes("auth")

Password = Field(min_length=1, max_length=1024)
NewPassword = Field(min_length=8, max_length=1024)


class SetupState(BaseModel):
    needed: bool


class SetupIn(BaseModel):
    username: str = Field(min_length=1, max_length=64,
                          json_schema_extra={"pattern": USERNAME_PATTERN})
    password: str = NewPassword
    token: str = Field(min_length=1, max_length=200)


class FirstAdmin(BaseModel):
    id: str


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Password


class MfaIn(BaseModel):
    challenge: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=6, max_length=10)


class ReauthIn(BaseModel):
    password: str = Password
    code: str | None = Field(None, min_length=6, max_length=10)  # required when MFA is on


class Reauthed(BaseModel):
    ok: Literal[True] = True
    expires_at: str


class Me(BaseModel):
    id: str
    username: str
    role: Literal["admin", "user"]
    mfa_enabled: bool


class LoggedIn(BaseModel):
    ok: Literal[True] = True
    user: Me


class MfaRequired(BaseModel):
    mfa_required: Literal[True] = True
    challenge: str


@routes.get("/api/setup", access=Access.ANON, response=SetupState,
            summary="Whether the first admin still has to be created")
async def setup_state(request: web.Request) -> SetupState:
    return SetupState(needed=await setup_needed(request.app[IDENTITY].db))


@routes.post("/api/setup", access=Access.ANON, body=SetupIn, response=FirstAdmin, status=201,
             errors=(403, 409), summary="Create the first admin with the setup token")
async def setup(request: web.Request, body: SetupIn) -> FirstAdmin:
    _no_cross_site_login(request)
    user = await complete_setup(request.app[IDENTITY], body.username, body.password, body.token)
    return FirstAdmin(id=user.id)


def _no_cross_site_login(request: web.Request) -> None:
    # A page elsewhere must not log a browser into an account of the attacker's choosing.
    if "Origin" in request.headers and not same_origin(request, request.app[IDENTITY].trusted):
        raise Forbidden("cross-origin request refused")


def _login_source(request: web.Request) -> tuple[Identity, str | None]:
    """The identity service and the client's address, for a login from this site only."""
    _no_cross_site_login(request)
    ident = request.app[IDENTITY]
    return ident, client_address(request, ident.trusted)


def _answer(request: web.Request, result: LoginResult) -> web.StreamResponse:
    if result.challenge is not None:
        return json_response(MfaRequired(challenge=result.challenge))
    assert result.token is not None  # no challenge: the login opened a session
    user = result.user
    resp = json_response(
        LoggedIn(
            user=Me(
                id=user.id, username=user.username, role=user.role, mfa_enabled=user.mfa_enabled
            )
        )
    )
    ident = request.app[IDENTITY]
    set_session_cookie(
        resp,
        ident.signer.sign(result.token),
        SESSION_LIFETIME,
        secure=is_https(request, ident.trusted),
    )
    return resp


@routes.post("/api/auth/login", access=Access.ANON, body=LoginIn, response=LoggedIn | MfaRequired,
             errors=(401, 403, 429),
             summary="Log in; users with MFA get a challenge for POST /api/auth/mfa")
async def login(request: web.Request, body: LoginIn) -> web.StreamResponse:
    ident, address = _login_source(request)
    return _answer(request, await password_login(ident, body.username, body.password, address))


@routes.post("/api/auth/mfa", access=Access.ANON, body=MfaIn, response=LoggedIn,
             errors=(401, 403, 429), summary="Finish a login with a TOTP code")
async def mfa(request: web.Request, body: MfaIn) -> web.StreamResponse:
    ident, address = _login_source(request)
    return _answer(request, await mfa_login(ident, body.challenge, body.code, address))


@routes.post("/api/auth/logout", access=Access.USER, response=Ok, summary="End this session")
async def logout_route(request: web.Request) -> web.StreamResponse:
    ident = request.app[IDENTITY]
    await logout(ident, principal(request))
    resp = json_response(Ok())
    clear_session_cookie(resp, secure=is_https(request, ident.trusted))
    return resp


@routes.post("/api/auth/reauth", access=Access.USER, body=ReauthIn, response=Reauthed,
             errors=(401, 429),
             summary="Confirm the password (and code) again: protected actions are allowed in this "
                     "session for 5 minutes")
async def reauth(request: web.Request, body: ReauthIn) -> Reauthed:
    ident = request.app[IDENTITY]
    until = await reauthenticate(
        ident, principal(request), body.password, body.code, client_address(request, ident.trusted)
    )
    return Reauthed(expires_at=iso(until))


@routes.get("/api/auth/me", access=Access.USER, response=Me, summary="The logged-in user")
async def me(request: web.Request) -> Me:
    user = await get_user(request.app[IDENTITY].db, principal(request).user.id)
    return Me(id=user.id, username=user.username, role=user.role, mfa_enabled=user.mfa_enabled)
