"""Each user's own CalDAV settings: ``/api/my/caldav`` and a login test."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from jarvis import (
    Access,
    Routes,
    current_user,
    plugin_context,
    server_login_routes,
)
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from . import store
from .errors import CaldavError
from .net import connection_policy
from .service import Link, calendars, choose, name_of, with_client
from .settings import CaldavSettings
from .urls import SERVER_URL_PATTERN, check_server_url

routes = Routes("caldav")

# The pattern states the shape in the OpenAPI description; the validator gives the message.
ServerUrl = Annotated[str, Field(min_length=1, max_length=2048,
                                 description="the CalDAV address, like https://cal.example.com/",
                                 json_schema_extra={"pattern": SERVER_URL_PATTERN}),
                      AfterValidator(check_server_url)]
UserName = Annotated[str, Field(min_length=1, max_length=320)]
Password = Annotated[str, Field(min_length=1, max_length=1000)]
CalendarName = Annotated[str, Field(max_length=500,
                                    description="display name; empty or null: the first one")]


class CaldavSettingsOut(BaseModel):
    server_url: str | None
    username: str | None
    calendar: str | None
    password_set: bool


class CaldavSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    server_url: ServerUrl
    username: UserName
    password: Password | None = Field(
        None, description="left out: keep the stored one (only for the same server)")
    calendar: CalendarName | None = None


class CaldavTestOut(BaseModel):
    ok: bool
    calendars: list[str]
    error: str | None = None


server_login_routes(routes, "/api/my/caldav", label="CalDAV", body=CaldavSettingsIn,
                    response=CaldavSettingsOut, logins=store.SETTINGS, holds="calendar")


async def _link(request: web.Request) -> Link:
    """The caller's stored settings and password (CaldavError when incomplete)."""
    plugin, user = plugin_context(request), current_user(request)
    stored = await store.load(plugin.db, user.id)
    if stored is None:
        raise CaldavError("CalDAV is not set up: save your server, user name and password first")
    password = await plugin.vault.get(store.password_key(user.id))
    if password is None:
        raise CaldavError("no CalDAV password is stored: save your settings with it again")
    settings = plugin.plugin_settings(CaldavSettings)
    return Link(stored, password, connection_policy(plugin.http, settings), settings)


@routes.post("/api/my/caldav/test", access=Access.USER, response=CaldavTestOut,
             summary="Try logging in with your stored settings and finding your calendars")
async def test_settings(request: web.Request) -> CaldavTestOut:
    try:
        link = await _link(request)
    except CaldavError as err:
        return CaldavTestOut(ok=False, calendars=[], error=str(err))

    def probe(client: object) -> tuple[list[str], str | None]:
        found = calendars(client)
        names = [name_of(c) for c in found]
        try:
            choose(found, link.account.calendar)
        except CaldavError as err:
            return names, str(err)
        return names, None

    try:
        names, problem = await with_client(link, probe)
    except CaldavError as err:
        return CaldavTestOut(ok=False, calendars=[], error=str(err))
    return CaldavTestOut(ok=problem is None, calendars=names, error=problem)
