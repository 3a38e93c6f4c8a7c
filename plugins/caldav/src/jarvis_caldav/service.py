"""Talking to a user's CalDAV server: each call runs the synchronous caldav library in a
thread, bounded by per-request and per-call time limits, and turns every failure into a
CaldavError that says what went wrong."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from jarvis import OutboundError, OutboundPolicy, OutboundRefused, in_thread
from yarl import URL

from .errors import CaldavError
from .net import open_client
from .settings import CaldavSettings
from .store import Account

log = logging.getLogger("jarvis.caldav")

T = TypeVar("T")
_ALLOWANCE_HINT = ("; an admin can allow a CalDAV server on the local network with "
                   "[plugins.caldav] allowed_private_hosts")


@dataclass(frozen=True, slots=True)
class Link:
    """Everything needed to reach one user's calendar."""

    account: Account
    password: str
    policy: OutboundPolicy
    settings: CaldavSettings

    @property
    def where(self) -> str:
        """The server's origin, for messages (never with a password)."""
        try:
            return str(URL(self.account.server_url).origin())
        except ValueError:
            return "the CalDAV server"

    def timed_out(self) -> CaldavError:
        return CaldavError(f"{self.where} did not finish within "
                     f"{self.settings.operation_timeout:g} s")


def explain(err: BaseException, link: Link) -> CaldavError:
    """A failure of the library, the network or the guard, in words the user can act on."""
    import niquests
    from caldav.lib import error as dav_error

    where = link.where
    if isinstance(err, CaldavError):
        return err
    if isinstance(err, OutboundRefused):
        private = " address" in err.reason and "metadata" not in err.reason
        hint = _ALLOWANCE_HINT if private else ""
        return CaldavError(f"connecting to {where} was refused: {err.reason}{hint}")
    if isinstance(err, OutboundError):
        return CaldavError(f"could not reach {where}: {err}")
    if isinstance(err, dav_error.AuthorizationError) and getattr(err, "status", None) == 403:
        return CaldavError(f"{where} does not let {link.account.username!r} do this (HTTP 403): "
                           "the calendar may be read-only or belong to someone else")
    if isinstance(err, dav_error.AuthorizationError):
        return CaldavError(
            f"{where} refused the login of {link.account.username!r}: check the user name and "
            "password in your CalDAV settings")
    if isinstance(err, niquests.exceptions.Timeout):
        return CaldavError(f"{where} did not answer within {link.settings.timeout:g} s")
    if isinstance(err, niquests.exceptions.SSLError):
        return CaldavError(f"a secure connection to {where} failed: {_short(err)}")
    if isinstance(err, niquests.exceptions.TooManyRedirects):
        return CaldavError(f"{where} redirected too many times")
    if isinstance(err, niquests.exceptions.ConnectionError):
        why = " (connection refused)" if "refused" in str(err).lower() else ""
        return CaldavError(f"could not connect to the CalDAV server at {where}{why}; is it "
                           "running, and is the server URL right?")
    if isinstance(err, dav_error.DAVError):
        # The body stays out: the server (or a host its answers named) chose it.
        return CaldavError(f"{where} answered with an error{_status(err)}")
    if isinstance(err, ValueError):
        return CaldavError(str(err))
    log.error("CalDAV call to %s failed", where, exc_info=err)
    return CaldavError(f"talking to {where} failed: {type(err).__name__}: {_short(err)}")


def _status(err: Any) -> str:
    """`` (HTTP 500)`` from a library error, or nothing when it carries no status."""
    status = getattr(err, "status", None)
    if status is None:
        head = str(getattr(err, "reason", "") or getattr(err, "url", "") or "")
        status = head[:3] if head[:3].isdigit() else None
    return f" (HTTP {status})" if status else ""


def _short(err: BaseException, limit: int = 300) -> str:
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[:limit] + "…"


async def with_client(link: Link, work: Callable[[Any], T]) -> T:
    """Run ``work(client)`` in a thread with a client pinned to the checked server."""

    def job() -> T:
        client = open_client(link.account.server_url, link.account.username, link.password,
                             link.policy, link.settings.timeout)
        try:
            return work(client)
        finally:
            client.close()

    return await in_thread(job, seconds=link.settings.operation_timeout,
                           explain=lambda err: explain(err, link), timed_out=link.timed_out)


def calendars(client: Any) -> list[Any]:
    """The user's calendars (login and discovery: principal, then calendar home)."""
    return list(client.principal().get_calendars())


def name_of(calendar: Any) -> str:
    """A calendar's display name, or the last part of its URL when it has none."""
    name = calendar.get_display_name()
    return str(name) if name else str(calendar.url).rstrip("/").rsplit("/", 1)[-1]


def choose(found: list[Any], wanted: str | None) -> Any:
    """The calendar the settings name (display name or URL), or the first one."""
    if not found:
        raise CaldavError("the CalDAV server has no calendar for this login; create one in "
                          "your calendar app first")
    if not wanted:
        return found[0]
    names = [name_of(c) for c in found]
    for matches in (lambda c, n: n == wanted, lambda c, n: n.casefold() == wanted.casefold(),
                    lambda c, n: str(c.url).rstrip("/").endswith(wanted.rstrip("/"))):
        for calendar, name in zip(found, names, strict=True):
            if matches(calendar, name):
                return calendar
    raise CaldavError(f"there is no calendar named {wanted!r}; the server has: "
                      f"{', '.join(names)}")


async def with_calendar(link: Link, work: Callable[[Any], T]) -> T:
    """Run ``work(calendar)`` on the user's chosen calendar."""
    return await with_client(
        link, lambda client: work(choose(calendars(client), link.account.calendar)))
