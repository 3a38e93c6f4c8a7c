"""One listener per trigger account and folder: IDLE where the server has it, polling
otherwise; reconnects with backoff; each new mail goes to the trigger, which picks its agent."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage

from jarvis import OutboundPolicy, PluginContext

from . import imap, seen
from .accounts import Account, vault_key
from .messages import Incoming, parse, read
from .network import MailError
from .settings import EmailSettings

log = logging.getLogger("jarvis_email")

Dispatch = Callable[[Account, EmailMessage, Incoming, str, int], Awaitable[None]]


@dataclass(slots=True)
class ListenerState:
    """What the account's owner and the admin see of one listener."""

    label: str
    folder: str
    state: str = "starting"  # starting | idle | polling | retrying
    detail: str | None = None

    def line(self) -> str:
        return f"{self.folder}: {self.state}" + (f" ({self.detail})" if self.detail else "")


class FolderListener:
    """Watches one folder of one trigger account until cancelled."""

    def __init__(self, context: PluginContext, account: Account, folder: str,
                 settings: EmailSettings, policy: OutboundPolicy, dispatch: Dispatch,
                 changed: Callable[[], None]):
        self.context = context
        self.account = account
        self.folder = folder
        self.settings = settings
        self.policy = policy
        self.dispatch = dispatch
        self.changed = changed
        self.state = ListenerState(account.label, folder)
        self._connected = False

    def _set(self, state: str, detail: str | None = None) -> None:
        self.state.state, self.state.detail = state, detail
        self.changed()

    async def run(self) -> None:
        """Listen, reconnecting with growing pauses; only cancellation ends it."""
        delay = self.settings.reconnect_min
        while True:
            self._connected = False
            try:
                await self._session()
            except asyncio.CancelledError:
                raise
            except Exception as err:  # any failure: show it, wait, try again
                if self._connected:
                    delay = self.settings.reconnect_min  # it worked for a while: start afresh
                reason = str(err) or type(err).__name__
                log.info("email account %s folder %s: %s; retrying in %g s",
                         self.account.id, self.folder, reason, delay)
                self._set("retrying", f"{reason}; next attempt in {delay:g} s")
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.settings.reconnect_max)

    async def _session(self) -> None:
        account = self.account
        secret = await self.context.vault.get(vault_key(account.user_id, account.id, "imap"))
        if secret is None:
            raise MailError("no IMAP password is stored for this account")
        box = await imap.connect(account, secret, self.policy, self.settings)
        try:
            info = await box.select(self.folder)
            # mail there now counts as handled the first time: UIDNEXT - 1 (or the top UID)
            highest = (info.uidnext - 1 if info.uidnext
                       else (await box.search("ALL") or [0])[-1])
            last = await seen.start(self.context.db, account.id, self.folder,
                                    info.uidvalidity, highest)
            self._connected = True
            idle = self.settings.idle and box.supports_idle
            self._set("idle" if idle else "polling")
            while True:
                last = await self._check(box, info.uidvalidity, last)
                if idle:
                    await box.idle(self.settings.idle_refresh)
                else:
                    await self._poll(box)
        finally:
            await box.close()

    async def _check(self, box: imap.Mailbox, uidvalidity: int, last: int) -> int:
        """Handle every message above ``last``; returns the new highest UID."""
        for uid in [u for u in await box.search("UID", f"{last + 1}:*") if u > last]:
            cap = self.settings.max_message_bytes
            meta = await box.fetch([uid], "(UID RFC822.SIZE)")
            if not meta:
                last = max(last, uid)
                continue
            partial = (meta[0].size or 0) > cap
            got = await box.fetch([uid], f"(UID BODY.PEEK[]<0.{cap}>)" if partial
                                  else "(UID BODY.PEEK[])")
            last = max(last, uid)
            if not got or got[0].literal is None:
                continue
            # claimed after the fetch (a failed fetch is tried again), before the run
            if not await seen.claim(self.context.db, self.account.id, self.folder,
                                    uidvalidity, uid):
                continue
            await self._consider(got[0].literal, partial, uid)
        return last

    async def _consider(self, raw: bytes, partial: bool, uid: int) -> None:
        try:
            message = parse(raw)
            incoming = read(raw, self.settings.max_body_chars, partial)
        except Exception:
            log.exception("email account %s: message %d cannot be parsed", self.account.id, uid)
            return
        await self.dispatch(self.account, message, incoming, self.folder, uid)

    async def _poll(self, box: imap.Mailbox) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(box.lost.wait(), self.settings.poll_interval)
        if box.lost.is_set():
            raise MailError("the connection to the IMAP server was lost")
        await box.noop()
