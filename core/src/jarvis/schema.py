"""Schema versions: each component (``core`` or a plugin) has numbered steps, run once, in order.

The rules, checked at every start-up (and by ``jarvis db upgrade``) in one transaction:

- a component seen for the first time whose tables do not exist yet is a fresh install: its
  tables are created from the models and its steps are recorded as done;
- a component whose tables exist but which has no recorded version (it was installed by a
  release that did not record it) runs every step from the first;
- a recorded version higher than the code's last step refuses to start (the database was
  upgraded by a newer Jarvis);
- after the steps, every column a model declares must exist in its table; a missing one is an
  error naming the table and the column (a model changed without a step).

On SQLite the database file is copied next to itself before the first step runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, select
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step of one component (``core`` or a plugin's name), applied once, in order.

    A fresh install gets the current tables from the models and skips the steps; an existing
    install runs the steps it has not run yet. ``upgrade`` gets a synchronous Connection.
    """

    component: str
    version: int
    description: str
    upgrade: Callable[[Connection], None]


class SchemaError(Exception):
    """The database's schema cannot be used by this code; the message says why in one line."""


_schema_meta = MetaData()
schema_versions = Table(
    "jarvis_schema",
    _schema_meta,
    Column("component", String(100), primary_key=True),
    Column("version", Integer, nullable=False),
)


@dataclass
class ComponentPlan:
    """What start-up does to one component's schema."""

    component: str
    recorded: int | None  # None: never recorded
    latest: int  # the code's last step (0: no steps)
    fresh: bool = False  # tables created from the models, steps skipped
    pending: list[Migration] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.recorded is not None and self.recorded > self.latest:
            return "newer than this Jarvis"
        if self.fresh:
            return "new: tables will be created"
        if self.pending:
            return f"{len(self.pending)} step(s) to run"
        return "up to date"

    def as_dict(self) -> dict[str, Any]:
        return {"component": self.component, "version": self.recorded, "latest": self.latest,
                "status": self.status, "pending": [s.version for s in self.pending]}


def plan(conn: Connection, tables: Mapping[str, list[Table]],
         steps: Iterable[Migration]) -> dict[str, ComponentPlan]:
    """Read the recorded versions and decide, component by component; writes nothing."""
    existing = set(conn.dialect.get_table_names(conn))
    known: dict[str, int] = {}
    if schema_versions.name in existing:
        rows = conn.execute(select(schema_versions.c.component, schema_versions.c.version))
        known = {c: v for c, v in rows.all()}
    by_component: dict[str, list[Migration]] = {}
    for step in sorted(steps, key=lambda s: (s.component, s.version)):
        by_component.setdefault(step.component, []).append(step)
    plans = {}
    for component in sorted({"core", *tables, *by_component}):
        comp_steps = by_component.get(component, [])
        recorded = known.get(component)
        p = ComponentPlan(component, recorded, max((s.version for s in comp_steps), default=0))
        owned = {t.name for t in tables.get(component, [])}
        if recorded is None and owned and not owned & existing:
            p.fresh = True
        else:
            p.pending = [s for s in comp_steps if s.version > (recorded or 0)]
        plans[component] = p
    for component in sorted(set(known) - set(plans)):  # e.g. an uninstalled plugin: kept as is
        plans[component] = ComponentPlan(component, known[component], known[component])
    return plans


def check_not_newer(plans: Mapping[str, ComponentPlan]) -> None:
    for p in plans.values():
        if p.recorded is not None and p.recorded > p.latest:
            raise SchemaError(
                f"the database schema of {p.component} is at version {p.recorded} but this "
                f"Jarvis knows only up to {p.latest}: it was upgraded by a newer Jarvis; "
                "install that version again (or restore a backup made before the upgrade)"
            )


def apply(conn: Connection, tables: Mapping[str, list[Table]],
          plans: Mapping[str, ComponentPlan], create: Callable[[Connection, list[Table]], None]
          ) -> None:
    """Create missing tables, run the pending steps, record versions, then check the columns."""
    _schema_meta.create_all(conn, checkfirst=True)
    existing = set(conn.dialect.get_table_names(conn))
    every = [t for ts in tables.values() for t in ts]
    create(conn, [t for t in every if t.name not in existing])
    known = dict(conn.execute(select(schema_versions.c.component, schema_versions.c.version)).all())
    for p in plans.values():
        for step in p.pending:
            log.info("migrating %s to version %d: %s", p.component, step.version, step.description)
            step.upgrade(conn)
        version = p.latest if (p.fresh or p.pending) else (p.recorded or 0)
        if p.component not in known:
            conn.execute(schema_versions.insert().values(component=p.component, version=version))
        elif known[p.component] != version:
            conn.execute(schema_versions.update()
                         .where(schema_versions.c.component == p.component)
                         .values(version=version))
    check_columns(conn, tables)


def missing_columns(conn: Connection, tables: Mapping[str, list[Table]]
                    ) -> list[tuple[str, str, str]]:
    """(component, table, column) for every column a model declares that its table lacks."""
    wanted = {t.name: (component, t) for component, ts in tables.items() for t in ts}
    present = inspect(conn).get_multi_columns(filter_names=list(wanted))
    have = {key[1]: {c["name"] for c in cols} for key, cols in present.items()}
    out = []
    for name, (component, table) in sorted(wanted.items()):
        if name not in have:
            continue  # not created yet (``jarvis db current`` on an old database)
        out += [(component, name, c.name) for c in table.columns if c.name not in have[name]]
    return out


def check_columns(conn: Connection, tables: Mapping[str, list[Table]]) -> None:
    missing = missing_columns(conn, tables)
    if missing:
        component, table, column = missing[0]
        raise SchemaError(
            f"table {table} has no column {column}, which the model of {component} declares: "
            f"{component} needs a migration step (jarvis.Migration) that adds it"
        )
