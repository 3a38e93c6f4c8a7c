"""Each user's own CardDAV settings: ``/api/my/contacts``."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from jarvis import DATABASE, VAULT, Access, Routes, audit_action, current_user
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import store
from .service import check_server_url

routes = Routes("contacts")

ServerUrl = Annotated[str, Field(min_length=1, max_length=2048,
                                 description="the CardDAV address, like https://dav.example.com/"),
                      AfterValidator(check_server_url)]


class ContactsSettingsOut(BaseModel):
    server_url: str | None
    username: str | None
    addressbook: str | None
    password_set: bool


class ContactsSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    server_url: ServerUrl
    username: str = Field(min_length=1, max_length=320)
    password: str | None = Field(None, min_length=1, max_length=1000,
                                 description="left out: keep the stored one (same server only)")
    addressbook: str | None = Field(None, max_length=500,
                                    description="display name; empty or null: the first one")


class Ok(BaseModel):
    ok: bool = True


@routes.get("/api/my/contacts", access=Access.USER, response=ContactsSettingsOut,
            summary="Your CardDAV server and login (the password is never shown)")
async def get_settings(request: web.Request) -> ContactsSettingsOut:
    app = request.app
    return ContactsSettingsOut(**await store.view(app[DATABASE], app[VAULT],
                                                  current_user(request).id))


@routes.post("/api/my/contacts", access=Access.USER, body=ContactsSettingsIn,
             response=ContactsSettingsOut, summary="Set your CardDAV server, login and book")
async def set_settings(request: web.Request, body: ContactsSettingsIn) -> ContactsSettingsOut:
    app, user = request.app, current_user(request)
    account = store.Account(body.server_url, body.username, body.addressbook or None)
    await store.save(app[DATABASE], app[VAULT], user.id, account, body.password)
    await audit_action(request, "settings_changed", "CardDAV settings changed",
                       plugin="contacts", server_url=account.server_url,
                       username=account.username, password_changed=body.password is not None)
    return ContactsSettingsOut(**await store.view(app[DATABASE], app[VAULT], user.id))


@routes.delete("/api/my/contacts", access=Access.USER, response=Ok,
               summary="Forget your CardDAV settings and password")
async def delete_settings(request: web.Request) -> Ok:
    app = request.app
    if await store.remove(app[DATABASE], app[VAULT], current_user(request).id):
        await audit_action(request, "settings_changed", "CardDAV settings removed",
                           plugin="contacts")
    return Ok()
