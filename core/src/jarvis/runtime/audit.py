"""Audit rows written by the runtime (tool calls, denials, canary hits)."""

from __future__ import annotations

import logging
from typing import Any

from ..keys import AUDIT
from ..services.audit import AuditEvent
from .state import RunState

log = logging.getLogger("jarvis.runtime")


async def record(st: RunState, **fields: Any) -> None:
    """Write one audit row for this run; a failing audit log is logged, never raised."""
    audit = st.app.get(AUDIT)
    if audit is None:
        return
    event = AuditEvent(
        user_id=st.user.id, username=st.user.username, session_id=st.run.session_id,
        run_id=st.run.id, task_id=st.run.task_id, **fields,
    )
    try:
        await audit.record(event)
    except Exception:
        log.exception("writing the audit row for run %s failed", st.run.id)
