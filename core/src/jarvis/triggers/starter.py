"""Runs started by plugin triggers: ``emit(TriggerRun(...))`` runs and returns the outcome."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from ..errors import BadRequest, NotFound
from ..keys import DATABASE
from ..models.tables import table_of
from ..models.users import User
from ..run_requests import RunOutcome, RunRequest, TriggerRun
from ..runtime.runner import Runtime
from ..tools import UserRef
from . import Trigger

log = logging.getLogger("jarvis.runtime")
users = table_of(User)


async def load_user(runtime: Runtime, user_id: str) -> UserRef | None:
    """The active user with this id, or None."""
    async with runtime.app[DATABASE].read() as conn:
        row = (await conn.execute(
            select(users.c.id, users.c.username, users.c.role, users.c.is_active)
            .where(users.c.id == user_id)
        )).first()
    if row is None or not row.is_active:
        return None
    return UserRef(row.id, row.username, "admin" if row.role == "admin" else "user")


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
