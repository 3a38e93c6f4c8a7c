"""Audit rows written by the runtime (tool calls, denials, canary hits)."""

from __future__ import annotations

import logging
from typing import Any

from ..keys import AUDIT
from ..services.audit import AuditEvent
from .state import RunState

log = logging.getLogger("jarvis.runtime")


def audit_event(st: RunState, **fields: Any) -> AuditEvent:
    """An audit entry about this run (for :func:`record`, or stored with the call's row)."""
    return AuditEvent(
        user_id=st.user.id, username=st.user.username, session_id=st.run.session_id,
        run_id=st.run.id, task_id=st.run.task_id, **fields,
    )


async def record(st: RunState, **fields: Any) -> None:
    """Write one audit row for this run now; a failing audit log is logged, never raised."""
    audit = st.app.get(AUDIT)
    if audit is None:
        return
    event = audit_event(st, **fields)
    try:
        await audit.record(event)
    except Exception:
        log.exception("writing the audit row for run %s failed", st.run.id)
