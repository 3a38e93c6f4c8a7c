"""What a tool needs to reach the calling user's calendar: their settings and password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from jarvis import Tool, ToolContext

from .errors import CaldavError
from .net import connection_policy
from .service import Link, with_calendar
from .settings import CaldavSettings
from .store import PASSWORD_NAME, load

T = TypeVar("T")

NOT_SET_UP = ("CalDAV is not set up for you: add your server, user name and password in "
              "Settings → CalDAV first")


async def link_for(ctx: ToolContext, settings: CaldavSettings) -> Link:
    """The calling user's calendar link; CaldavError when the settings are missing."""
    account = await load(ctx.db, ctx.user.id)
    if account is None:
        raise CaldavError(NOT_SET_UP)
    password = await ctx.credentials.get_user(PASSWORD_NAME)
    if password is None:
        raise CaldavError("your CalDAV password is not stored: set it again in Settings → "
                          "CalDAV")
    return Link(account, password, connection_policy(ctx.http, settings), settings)


class CalendarTool(Tool):
    """A tool on the calling user's calendar."""

    group = "caldav"
    failures = (CaldavError,)  # the server, the login or the event: the user is told why
    settings: CaldavSettings

    async def on_calendar(self, ctx: ToolContext, work: Callable[[Any], T]) -> T:
        """``work(calendar)`` on the user's chosen calendar; CaldavError when it fails."""
        return await with_calendar(await link_for(ctx, self.settings), work)
