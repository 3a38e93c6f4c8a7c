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


CORE_MIGRATIONS: list[Migration] = [
    Migration("core", 1, "sessions: last request and re-authentication times",
              _add_session_activity),
]
