"""Runs each plugin trigger as a supervised task: a crash is logged under the plugin's name and
the trigger restarts with backoff; the server keeps serving."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web

from ..keys import PLUGIN_CONTEXTS
from ..timeutil import iso, utcnow
from . import Emitter, RunStarter, Trigger
from .leases import Leases

log = logging.getLogger("jarvis.triggers")


@dataclass(slots=True)
class TriggerState:
    """What ``GET /api/plugins`` shows of one trigger."""

    state: str = "starting"  # starting | running | retrying | stopped | failed
    detail: str | None = None
    restarts: int = 0
    last_error: str | None = None
    next_attempt: str | None = None

    def report(self, state: str, detail: str | None = None) -> None:
        self.state, self.detail = state, detail

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state, "detail": self.detail, "restarts": self.restarts,
            "last_error": self.last_error, "next_attempt": self.next_attempt,
        }


class TriggerSupervisor:
    """Starts, restarts and stops the triggers of one app."""

    def __init__(self, app: web.Application, triggers: list[Trigger], *,
                 backoff_base: float = 1.0, backoff_max: float = 300.0):
        self.app = app
        self.triggers = triggers
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.states: dict[str, TriggerState] = {t.name: TriggerState() for t in triggers}
        self.run_starter: RunStarter | None = None
        # Set by the runtime: with several server processes, each trigger runs in one of them.
        self.leases: Leases | None = None
        self.lease_renew = 10.0  # seconds; well below the lease's time to live
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        for trigger in self.triggers:
            task = asyncio.create_task(self._supervise(trigger), name=f"trigger:{trigger.name}")
            self._tasks.append(task)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for state in self.states.values():
            state.state = "stopped"

    async def _supervise(self, trigger: Trigger) -> None:
        state = self.states[trigger.name]
        key = f"trigger:{trigger.name}"
        failures = 0
        try:
            while True:
                if not await self._hold(key):
                    state.state, state.detail = "standby", "another server process runs it"
                    await asyncio.sleep(self.lease_renew)
                    continue
                state.state, state.detail, state.next_attempt = "running", None, None
                started = time.monotonic()
                try:
                    if await self._run_holding(trigger, state, key):
                        state.state = "stopped"
                        return
                    continue  # the lease went to another process: stand by
                except asyncio.CancelledError:
                    raise
                except Exception as err:  # a plugin's bug must not take the server down
                    log.exception("plugin %s: trigger %s failed", trigger.plugin, trigger.name)
                    state.last_error = f"{type(err).__name__}: {err}"
                # A trigger that ran a good while before failing starts its backoff afresh.
                failures = 1 if time.monotonic() - started > self.backoff_max else failures + 1
                delay = min(self.backoff_base * 2 ** (failures - 1), self.backoff_max)
                state.restarts += 1
                state.state = "retrying"
                state.next_attempt = _after(delay)
                await asyncio.sleep(delay)
        finally:
            if self.leases is not None:
                with contextlib.suppress(Exception):
                    await self.leases.release(key)

    async def _hold(self, key: str) -> bool:
        """Take or renew the trigger's lease; always True without leases (one process)."""
        if self.leases is None:
            return True
        try:
            return await self.leases.acquire(key)
        except Exception:
            log.exception("renewing the lease %s failed", key)
            return False

    async def _run_holding(self, trigger: Trigger, state: TriggerState, key: str) -> bool:
        """Run the trigger while renewing its lease: True when it returned, False when the
        lease was lost (then it is cancelled); its exception, if it raised."""
        emit = Emitter(self.app[PLUGIN_CONTEXTS][trigger.plugin], trigger, state.report,
                       self.run_starter)
        task = asyncio.create_task(trigger.run(emit))
        try:
            while True:
                timeout = self.lease_renew if self.leases is not None else None
                done, _ = await asyncio.wait({task}, timeout=timeout)
                if done:
                    task.result()
                    return True
                if not await self._hold(key):
                    return False
        finally:
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)


def _after(seconds: float) -> str | None:
    return iso(utcnow() + timedelta(seconds=seconds))
