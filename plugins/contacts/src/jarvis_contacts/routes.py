"""Each user's own CardDAV settings: ``/api/my/contacts``."""

from __future__ import annotations

from typing import Annotated

from jarvis import Routes, server_login_routes
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


server_login_routes(routes, "/api/my/contacts", label="CardDAV", body=ContactsSettingsIn,
                    response=ContactsSettingsOut, logins=store.SETTINGS, holds="book")
