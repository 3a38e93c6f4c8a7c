"""The core's schema steps for existing databases (a fresh one gets the current tables)."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from .db import Migration


def _add_session_activity(conn: Connection) -> None:
    have = {c["name"] for c in inspect(conn).get_columns("auth_sessions")}
    for column in ("last_seen_at", "reauth_until"):
        if column not in have:
            kind = "TIMESTAMP" if conn.dialect.name == "postgresql" else "DATETIME"
            conn.execute(text(f"ALTER TABLE auth_sessions ADD COLUMN {column} {kind}"))


def _add_run_parent(conn: Connection) -> None:
    if "parent_run_id" not in {c["name"] for c in inspect(conn).get_columns("runs")}:
        conn.execute(text("ALTER TABLE runs ADD COLUMN parent_run_id VARCHAR(32)"))
        conn.execute(text("CREATE INDEX ix_runs_parent_run_id ON runs (parent_run_id)"))


CORE_MIGRATIONS: list[Migration] = [
    Migration("core", 1, "sessions: last request and re-authentication times",
              _add_session_activity),
    Migration("core", 3, "runs: the parent of a sub-run", _add_run_parent),
]
