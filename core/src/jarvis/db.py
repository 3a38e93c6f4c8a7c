"""The database: SQLModel on SQLAlchemy's async engine (SQLite by default, PostgreSQL to scale)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, event, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from .private import private_sqlite

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
SCHEMA_LOCK_ID = 0x4A415256  # "JARV": advisory lock id for schema set-up on PostgreSQL


def new_id() -> str:
    """A new primary key: 32 hex characters."""
    return uuid.uuid4().hex


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


_schema_meta = MetaData()
schema_versions = Table(
    "jarvis_schema",
    _schema_meta,
    Column("component", String(100), primary_key=True),
    Column("version", Integer, nullable=False),
)


class DatabaseUnavailable(Exception):
    """The database cannot be opened or reached; the message says which and why, in one line."""


def _reason(err: BaseException) -> str:
    # SQLAlchemy wraps the driver's error (``orig``); a refused connection is a bare OSError
    inner = getattr(err, "orig", None) or err
    text = getattr(inner, "strerror", None) or str(inner) or type(inner).__name__
    return " ".join(str(text).split())[:300]


class Database:
    """The engine plus helpers for ORM sessions and (on SQLite) write transactions."""

    def __init__(self, url: str, *, echo: bool = False, schema: str | None = None):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:" and not path.startswith("file:"):
                file = Path(path.split("?", 1)[0])
                try:
                    private_sqlite(file)
                except OSError as err:
                    raise DatabaseUnavailable(
                        f"cannot create the folder of the database {file}: {_reason(err)}"
                    ) from None
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
            if schema:  # tests isolate themselves in a PostgreSQL schema of their own
                kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _sqlite_events(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> AsyncSession:
        """A new ORM session (use ``async with db.session() as s``)."""
        return AsyncSession(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: ``BEGIN IMMEDIATE`` on SQLite, so read-then-write is safe."""
        async with self.engine.connect() as conn:
            if self.is_sqlite:
                conn = await conn.execution_options(sqlite_immediate=True)
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A read-only connection for Core queries on hot paths."""
        async with self.engine.connect() as conn:
            yield conn

    async def setup(self, models: Iterable[Any], migrations: Iterable[Migration]) -> None:
        """Create missing tables, then run pending migration steps, once per database."""
        tables = [m.__table__ for m in models]
        steps = sorted(migrations, key=lambda m: (m.component, m.version))
        async with self.connect() as conn, conn.begin():
            if not self.is_sqlite:  # several processes may start at once on one database
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK_ID}
                )
            await conn.run_sync(_setup_sync, tables, steps)

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A connection, or :class:`DatabaseUnavailable` naming the database (no password)."""
        conn = self.engine.connect()
        try:
            await conn.start()
        except Exception as err:
            where = self.engine.url.render_as_string(hide_password=True)
            raise DatabaseUnavailable(f"cannot open the database {where}: {_reason(err)}") from err
        try:
            yield conn
        finally:
            await conn.close()

    async def dispose(self) -> None:
        await self.engine.dispose()


def _setup_sync(conn: Connection, tables: list[Table], steps: list[Migration]) -> None:
    _schema_meta.create_all(conn, checkfirst=True)
    existing = set(conn.dialect.get_table_names(conn))
    fresh_components = set()
    known = dict(conn.execute(select(schema_versions.c.component, schema_versions.c.version)).all())
    by_component: dict[str, list[Migration]] = {}
    for step in steps:
        by_component.setdefault(step.component, []).append(step)
    SQLModel.metadata.create_all(conn, tables=[t for t in tables if t.name not in existing])
    for component in {*by_component, "core"}:
        if component not in known:
            fresh_components.add(component)
    for component in fresh_components:
        latest = max((s.version for s in by_component.get(component, [])), default=0)
        conn.execute(schema_versions.insert().values(component=component, version=latest))
    for component, comp_steps in by_component.items():
        if component in fresh_components:
            continue
        current = known[component]
        for step in comp_steps:
            if step.version > current:
                log.info(
                    "migrating %s to version %d: %s", component, step.version, step.description
                )
                step.upgrade(conn)
                conn.execute(
                    schema_versions.update()
                    .where(schema_versions.c.component == component)
                    .values(version=step.version)
                )


def _sqlite_events(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
