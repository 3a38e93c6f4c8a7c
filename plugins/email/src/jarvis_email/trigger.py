"""The email trigger: supervises one listener per enabled trigger account and folder, and turns
each mail into a run of the agent its trigger rules (or the account itself) name."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from email.message import EmailMessage
from typing import Any

from jarvis import Emitter, PluginContext, Trigger, TriggerRun

from . import whitelist
from .accounts import Account, trigger_accounts
from .context import binding_entry
from .listener import FolderListener
from .messages import Incoming, header, matches
from .network import outbound_policy
from .reply import replier
from .rules import matching_rule
from .settings import EmailSettings

log = logging.getLogger("jarvis_email")

READ_TOOLS = ["email_list", "email_read"]


async def agent_for(db: Any, account: Account, message: EmailMessage,
                    incoming: Incoming) -> str | None:
    """The agent that handles a mail: the best matching trigger rule's, else the account's own
    agent when the mail has every word of the account's phrase; None: the mail is left alone."""
    subject = header(message, "Subject")
    rule = await matching_rule(db, account.id, subject, incoming.body)
    if rule is not None:
        return rule.agent_id
    if account.agent_id and matches(account.trigger_phrase, subject, incoming.body):
        return account.agent_id
    return None


class EmailTrigger(Trigger):
    """Starts and stops listeners as trigger accounts come, change and go."""

    name = "email"

    def __init__(self, settings: EmailSettings):
        self.settings = settings
        self.listeners: dict[tuple[str, str], tuple[Any, FolderListener, asyncio.Task[None]]] = {}
        self.runs: set[asyncio.Task[None]] = set()
        self._wake: asyncio.Event | None = None
        self._emit: Emitter | None = None
        self._pruned: str | None = None  # the day the old send counts were last cleared

    # -- what routes and the API see ---------------------------------------------------------

    def wake(self) -> None:
        """Re-read the accounts now (a route changed one)."""
        if self._wake is not None:
            self._wake.set()

    def account_status(self, account_id: str) -> str | None:
        """The listeners of one account in one line, or None when none runs."""
        lines = [listener.state.line() for (aid, _f), (_fp, listener, _t) in
                 sorted(self.listeners.items()) if aid == account_id]
        return "; ".join(lines) or None

    def _report(self) -> None:
        if self._emit is None:
            return
        states = [(aid, listener.state) for (aid, _f), (_fp, listener, _t)
                  in sorted(self.listeners.items())]
        if not states:
            self._emit.status("running", "no enabled trigger accounts")
            return
        detail = "; ".join(f"{s.label} [{aid[:8]}] {s.line()}" for aid, s in states)
        retrying = any(s.state == "retrying" for _aid, s in states)
        self._emit.status("retrying" if retrying else "running", detail)

    # -- supervision ---------------------------------------------------------------------

    async def run(self, emit: Emitter) -> None:
        self._emit, self._wake = emit, asyncio.Event()
        try:
            while True:
                await self._sync(emit.context)
                self._report()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.settings.accounts_refresh)
                self._wake.clear()
        finally:
            await self._stop_all()

    async def _sync(self, context: PluginContext) -> None:
        if self._pruned != whitelist.today():
            await whitelist.prune(context.db)
            self._pruned = whitelist.today()
        wanted: dict[tuple[str, str], tuple[Any, Account]] = {}
        for account in await trigger_accounts(context.db):
            for folder in account.folders:
                wanted[(account.id, folder)] = (account.updated_at, account)
        for key in list(self.listeners):
            if key not in wanted or wanted[key][0] != self.listeners[key][0]:
                await self._stop(key)
        policy = outbound_policy(context)
        for key, (version, account) in wanted.items():
            if key not in self.listeners:
                listener = FolderListener(context, account, key[1], self.settings, policy,
                                          self._dispatch, self._report)
                task = asyncio.create_task(listener.run(), name=f"email:{account.id}:{key[1]}")
                self.listeners[key] = (version, listener, task)

    async def _stop(self, key: tuple[str, str]) -> None:
        _version, _listener, task = self.listeners.pop(key)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def _stop_all(self) -> None:
        for key in list(self.listeners):
            await self._stop(key)
        for task in list(self.runs):
            task.cancel()
        await asyncio.gather(*self.runs, return_exceptions=True)

    # -- runs ----------------------------------------------------------------------------

    async def _dispatch(self, account: Account, message: EmailMessage, incoming: Incoming,
                        folder: str, uid: int) -> None:
        # the listener goes on listening while the run waits in the queue and goes
        task = asyncio.create_task(self._start_run(account, message, incoming, folder, uid))
        self.runs.add(task)
        task.add_done_callback(self.runs.discard)

    async def _start_run(self, account: Account, message: EmailMessage, incoming: Incoming,
                         folder: str, uid: int) -> None:
        emit = self._emit
        if emit is None:
            return
        try:
            agent_id = await agent_for(emit.context.db, account, message, incoming)
            if agent_id is None:
                return
            agent = await emit.context.load_agent(agent_id, account.user_id)
            if agent is None:
                log.warning("email account %s: its agent %s is gone; mail %d not handled",
                            account.id, agent_id, uid)
                return
            # The run may read this one account, plus what its agent's allowed_tools grant (which
            # is how email_send joins: mail from outside must not grant sending by itself).
            allowed = [*READ_TOOLS, binding_entry(account.id), *(agent.allowed_tools or [])]
            agent = dataclasses.replace(agent, allowed_tools=list(dict.fromkeys(allowed)))
            text = f"New email in account {account.label!r}, folder {folder}, uid {uid}:\n\n"
            await emit(TriggerRun(
                user_id=account.user_id, message=text + incoming.render(),
                agent_id=agent_id, untrusted=True, agent=agent,
                reply=replier(emit.context, account, message, self.settings) if account.reply
                else None))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("email account %s: the run for mail %d failed", account.id, uid)
