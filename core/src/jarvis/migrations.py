"""The core's schema steps for existing databases (a fresh one gets the current tables)."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from .db import Migration, SchemaError


def _add_session_activity(conn: Connection) -> None:
    have = {c["name"] for c in inspect(conn).get_columns("auth_sessions")}
    for column in ("last_seen_at", "reauth_until"):
        if column not in have:
            kind = "TIMESTAMP" if conn.dialect.name == "postgresql" else "DATETIME"
            conn.execute(text(f"ALTER TABLE auth_sessions ADD COLUMN {column} {kind}"))


_TASKS_AS_AGENTS = """
INSERT INTO agents (id, user_id, name, prompt, schedule, allowed_tools, enabled, created_at,
                    updated_at, scheduled_since, kind, model, prompt_mode, max_tool_calls)
SELECT id, user_id, name, prompt, schedule, allowed_tools, enabled, created_at,
       updated_at, scheduled_since, 'task', NULL, 'combined', NULL
FROM scheduled_tasks
"""


def _tasks_into_agents(conn: Connection) -> None:
    """Scheduled tasks become agents of kind ``task`` with the same ids (so ``/api/tasks/{id}``,
    their runs and the audit rows naming them keep pointing at them); their schedule keys and
    run references move to the agent's; the ``scheduled_tasks`` table goes."""
    if "kind" not in {c["name"] for c in inspect(conn).get_columns("agents")}:
        conn.execute(text(
            "ALTER TABLE agents ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'agent'"))
    if not inspect(conn).has_table("scheduled_tasks"):
        return
    clash = conn.execute(text(
        "SELECT t.id FROM scheduled_tasks t JOIN agents a ON a.id = t.id")).scalar()
    if clash is not None:
        raise SchemaError(f"scheduled task {clash} has the id of an agent: give one of them "
                          "another id, then start again")
    conn.execute(text(_TASKS_AS_AGENTS))
    conn.execute(text(
        "UPDATE schedule_fires SET schedule_id = 'agent:' || substr(schedule_id, 6) "
        "WHERE schedule_id LIKE 'task:%'"))
    conn.execute(text(
        "UPDATE runs SET agent_id = task_id WHERE task_id IS NOT NULL AND agent_id IS NULL"))
    conn.execute(text("DROP TABLE scheduled_tasks"))


def _add_run_parent(conn: Connection) -> None:
    if "parent_run_id" not in {c["name"] for c in inspect(conn).get_columns("runs")}:
        conn.execute(text("ALTER TABLE runs ADD COLUMN parent_run_id VARCHAR(32)"))
        conn.execute(text("CREATE INDEX ix_runs_parent_run_id ON runs (parent_run_id)"))


# The listings' keyset indexes (see the models' __table_args__), for databases made before them.
LISTING_INDEXES = {
    "ix_agents_listing": "agents (user_id, kind, created_at, id)",
    "ix_agents_kind_listing": "agents (kind, created_at, id)",
    "ix_conversations_listing": "conversations (user_id, started_at, id)",
    "ix_runs_listing": "runs (user_id, created_at, id)",
    "ix_runs_agent_listing": "runs (agent_id, created_at, id)",
    "ix_runs_created_listing": "runs (created_at, id)",
}


def _add_listing_indexes(conn: Connection) -> None:
    for name, columns in LISTING_INDEXES.items():
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}"))


CORE_MIGRATIONS: list[Migration] = [
    Migration("core", 1, "sessions: last request and re-authentication times",
              _add_session_activity),
    Migration("core", 2, "scheduled tasks become agents of kind 'task'", _tasks_into_agents),
    Migration("core", 3, "runs: the parent of a sub-run", _add_run_parent),
    Migration("core", 4, "indexes for the listings' pages, newest or oldest first",
              _add_listing_indexes),
]
