"""Runs started by plugin triggers: ``emit(TriggerRun(...))`` runs and returns the outcome."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import BadRequest, NotFound
from ..keys import DATABASE
from ..run_requests import RunOutcome, RunRequest, TriggerRun
from ..runtime.runner import Runtime
from ..services.schedules import owner_of
from ..tools import UserRef
from . import Trigger

log = logging.getLogger("jarvis.runtime")


async def load_user(runtime: Runtime, user_id: str) -> UserRef | None:
    """The active user with this id, or None."""
    async with runtime.app[DATABASE].read() as conn:
        return await owner_of(conn, user_id)


class TriggerStarter:
    """The supervisor's ``run_starter``: turns a trigger's request into a run and waits for it."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def __call__(self, trigger: Trigger, request: Any) -> RunOutcome:
        if not isinstance(request, TriggerRun):
            raise TypeError(
                f"trigger {trigger.name} emitted {type(request).__name__}, not TriggerRun")
        user = await load_user(self.runtime, request.user_id)
        if user is None:
            raise NotFound(f"trigger {trigger.name}: no active user {request.user_id!r}")
        agent = request.agent
        if agent is None and request.agent_id is not None:
            if self.runtime.agent_loader is None:
                raise BadRequest(f"trigger {trigger.name}: agents cannot be looked up here")
            agent = await self.runtime.agent_loader(request.agent_id, user)
            if agent is None:
                raise NotFound(f"trigger {trigger.name}: no agent {request.agent_id!r}")
        outcome = await self.runtime.run(RunRequest(
            kind="trigger", user=user, agent=agent, agent_id=request.agent_id,
            trigger=trigger.name,
            message="" if request.untrusted else request.message,
            untrusted_input=request.message if request.untrusted else None,
        ))
        if request.reply is not None and outcome.ok and outcome.text.strip():
            try:
                await request.reply(outcome.text)
            except Exception:
                log.exception("trigger %s: sending the reply failed", trigger.name)
        return outcome
