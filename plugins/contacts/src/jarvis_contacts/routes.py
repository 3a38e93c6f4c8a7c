"""Each user's own CardDAV settings: ``/api/my/contacts``."""

from __future__ import annotations

from typing import Annotated, Any

from jarvis import PluginContext, Routes, user_settings_routes
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


async def _save(context: PluginContext, user_id: str, body: ContactsSettingsIn) -> dict[str, Any]:
    account = store.Account(body.server_url, body.username, body.addressbook or None)
    await store.save(context.db, context.vault, user_id, account, body.password)
    return {"server_url": account.server_url, "username": account.username,
            "password_changed": body.password is not None}


user_settings_routes(
    routes, "/api/my/contacts", label="CardDAV", body=ContactsSettingsIn,
    response=ContactsSettingsOut, view=store.view, save=_save, remove=store.remove,
    summaries=("Your CardDAV server and login (the password is never shown)",
               "Set your CardDAV server, login and book",
               "Forget your CardDAV settings and password"))
