"""Reaching a user's address book: each call runs in a thread, bounded by per-request and
per-call time limits, with every failure turned into a ContactsError without the server's body."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from jarvis import (
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    ToolContext,
    guarded_session,
    in_thread,
    outbound_policy,
)
from yarl import URL

from . import store
from .dav import Book, CardDav, DavStatus, choose
from .errors import ContactsError
from .settings import ContactsSettings

log = logging.getLogger("jarvis.contacts")
T = TypeVar("T")
NOT_SET_UP = ("CardDAV is not set up for you: add your server, user name and password in "
              "Settings → Contacts first")


@dataclass(frozen=True, slots=True)
class Link:
    """Everything needed to reach one user's address book."""

    account: store.Account
    password: str
    policy: OutboundPolicy
    settings: ContactsSettings

    @property
    def where(self) -> str:
        return str(URL(self.account.server_url).origin())

    def timed_out(self) -> ContactsError:
        return ContactsError(f"{self.where} did not finish within "
                     f"{self.settings.operation_timeout:g} s")


async def link_for(ctx: ToolContext, settings: ContactsSettings) -> Link:
    """The calling user's address book link; ContactsError when the settings are missing."""
    account = await store.load(ctx.db, ctx.user.id)
    password = await ctx.credentials.get_user(store.PASSWORD_NAME) if account else None
    if account is None or password is None:
        raise ContactsError(NOT_SET_UP)
    return Link(account, password, outbound_policy(ctx.http, settings.allowed_private_hosts),
                settings)


def explain(err: BaseException, link: Link) -> ContactsError:
    """A failure of the network, the guard or the server, in words the user can act on."""
    import niquests  # imported by the first call that can fail with it

    where = link.where
    if isinstance(err, DavStatus) and err.status in (401, 403):
        return ContactsError(f"{where} refused the login of {link.account.username!r} "
                             f"(HTTP {err.status}): check your CardDAV settings")
    if isinstance(err, DavStatus) and err.status == 412:
        return ContactsError("the card changed on the server meanwhile: read it again first")
    if isinstance(err, DavStatus):
        return ContactsError(f"{where} answered with an error (HTTP {err.status})")
    if isinstance(err, ContactsError):
        return err
    if isinstance(err, OutboundRefused):
        return ContactsError(f"connecting to {where} was refused: {err.reason}")
    if isinstance(err, OutboundError):
        return ContactsError(f"could not reach {where}: {err}")
    if isinstance(err, niquests.exceptions.Timeout):
        return ContactsError(f"{where} did not answer within {link.settings.timeout:g} s")
    if isinstance(err, niquests.exceptions.ConnectionError):
        return ContactsError(f"could not connect to the CardDAV server at {where}")
    log.error("CardDAV call to %s failed", where, exc_info=err)
    return ContactsError(f"talking to {where} failed ({type(err).__name__})")


async def with_book(link: Link, work: Callable[[CardDav, Book], T]) -> T:
    """Run ``work(dav, book)`` in a thread, on the user's chosen address book."""

    def job() -> T:
        session = guarded_session(link.account.server_url, link.policy)
        try:
            dav = CardDav(session, link.account.server_url, link.account.username,
                          link.password, link.settings.timeout)
            return work(dav, choose(dav.books(), link.account.addressbook))
        finally:
            session.close()

    return await in_thread(job, seconds=link.settings.operation_timeout,
                           explain=lambda err: explain(err, link), timed_out=link.timed_out)


def check_server_url(value: str) -> str:
    """A pydantic validator: an http(s) URL with a host, without login, query or fragment."""
    try:
        url = URL(value)
    except ValueError:
        raise ValueError("is not a valid URL") from None
    if url.scheme not in ("http", "https") or not url.host or url.user or url.password \
            or url.query_string or url.fragment or any(c.isspace() for c in value):
        raise ValueError("must be an address like https://dav.example.com/ (http or https; "
                         "no login, query or fragment)")
    return value

