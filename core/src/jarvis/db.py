"""The database: SQLModel on SQLAlchemy's async engine (SQLite by default, PostgreSQL to scale)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Table, event, func, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from . import schema as _schema
from .private import private_file, private_sqlite
from .schema import Migration, SchemaError, schema_versions

__all__ = ["Database", "DatabaseUnavailable", "Migration", "SchemaError", "new_id",
           "schema_versions", "sqlite_copy"]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Connections kept open for SQLite: every concurrent read gets one without opening a file
# (SQLAlchemy's default, 5, made most concurrent reads open and close an overflow connection).
SQLITE_POOL_SIZE = 20
SCHEMA_LOCK_ID = 0x4A415256  # "JARV": advisory lock id for schema set-up on PostgreSQL


def new_id() -> str:
    """A new primary key: 32 hex characters."""
    return uuid.uuid4().hex


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
        self.sqlite_path: Path | None = None  # the file of a file-based SQLite database
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:" and not path.startswith("file:"):
                self.sqlite_path = Path(path.split("?", 1)[0])
                try:
                    private_sqlite(self.sqlite_path)
                except OSError as err:
                    raise DatabaseUnavailable(
                        f"cannot create the folder of the database {self.sqlite_path}: "
                        f"{_reason(err)}"
                    ) from None
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
            if self.sqlite_path is not None:  # a file: a pool of connections (SQLAlchemy
                # before 2.0.38 gave aiosqlite no pool, which takes no pool size)
                kwargs.update(poolclass=AsyncAdaptedQueuePool, pool_size=SQLITE_POOL_SIZE,
                              max_overflow=2 * SQLITE_POOL_SIZE)
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
            if schema:  # tests isolate themselves in a PostgreSQL schema of their own
                kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        # SQLite allows one writer at a time: this process's writers queue here rather than
        # in SQLite's busy handler, which sleeps in growing steps while another one writes.
        self._writer = asyncio.Lock() if self.is_sqlite else None
        if self.is_sqlite:
            _sqlite_events(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def iso(self, column: ColumnElement[Any]) -> ColumnElement[str]:
        """``column`` (a naive UTC time) as :func:`jarvis.timeutil.iso` shows it, formatted by
        the database: no parsing and formatting per row in Python."""
        if self.is_sqlite:
            return func.strftime("%Y-%m-%dT%H:%M:%SZ", column)
        return func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')

    def session(self) -> AsyncSession:
        """A new ORM session (use ``async with db.session() as s``)."""
        return AsyncSession(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: ``BEGIN IMMEDIATE`` on SQLite, so read-then-write is safe.

        On SQLite the writers of this process take turns (other processes still wait in
        SQLite's busy handler). A write opened inside another one of the same task does not
        wait for the first: SQLite refuses it after its busy timeout, as it always did.
        """
        if self._writer is None:
            async with self.engine.connect() as conn, conn.begin():
                yield conn
            return
        if _writing.get():
            async with self._immediate() as conn:
                yield conn
            return
        try:
            async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_MS / 1000):
                await self._writer.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None
        token = _writing.set(True)
        try:
            async with self._immediate() as conn:
                yield conn
        finally:
            _writing.reset(token)
            self._writer.release()

    @asynccontextmanager
    async def _immediate(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(sqlite_immediate=True)
            async with conn.begin():
                yield conn

    @asynccontextmanager
    async def read(self, *, snapshot: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection for Core queries on hot paths. On SQLite each statement reads the
        latest data on its own (no ``BEGIN``/``ROLLBACK`` round trips) unless ``snapshot``
        asks for one view of the database across the statements."""
        async with self.engine.connect() as conn:
            if self.is_sqlite and not snapshot:
                conn = await conn.execution_options(sqlite_autocommit=True)
            yield conn

    async def setup(self, models: Mapping[str, Iterable[Any]] | Iterable[Any],
                    migrations: Iterable[Migration]) -> None:
        """Bring the schema up to date, once per database (see :mod:`jarvis.schema`).

        ``models`` maps each component (``core``, a plugin's name) to its table classes; a plain
        list belongs to ``core``. Raises :class:`jarvis.schema.SchemaError` with one line.
        """
        tables = _tables_of(models)
        steps = list(migrations)
        async with self.connect() as conn, conn.begin():
            if not self.is_sqlite:  # several processes may start at once on one database
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": SCHEMA_LOCK_ID}
                )
            plans = await conn.run_sync(_schema.plan, tables, steps)
            _schema.check_not_newer(plans)
            if self.sqlite_path and any(p.pending for p in plans.values()):
                copy = self.sqlite_path.with_name(
                    f"{self.sqlite_path.name}.before-upgrade-{_stamp()}")
                sqlite_copy(self.sqlite_path, copy)
                log.warning("copied the database to %s before running schema steps", copy)
            await conn.run_sync(_schema.apply, tables, plans, _create_tables)

    async def schema_status(self, models: Mapping[str, Iterable[Any]] | Iterable[Any],
                            migrations: Iterable[Migration]) -> dict[str, Any]:
        """What :meth:`setup` would do, and the columns models declare but tables lack."""
        tables = _tables_of(models)
        async with self.engine.connect() as conn:
            plans = await conn.run_sync(_schema.plan, tables, list(migrations))
            missing = await conn.run_sync(_schema.missing_columns, tables)
        return {"components": [p.as_dict() for p in plans.values()],
                "missing_columns": [{"component": c, "table": t, "column": col}
                                    for c, t, col in missing]}

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


def _tables_of(models: Mapping[str, Iterable[Any]] | Iterable[Any]) -> dict[str, list[Table]]:
    by_component: Mapping[str, Iterable[Any]] = (
        models if isinstance(models, Mapping) else {"core": models})
    return {c: [m.__table__ for m in ms] for c, ms in by_component.items()}


def _create_tables(conn: Connection, tables: list[Table]) -> None:
    SQLModel.metadata.create_all(conn, tables=tables)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API; writers may go on),
    private to its owner like the database."""
    target.parent.mkdir(parents=True, exist_ok=True)
    private_file(target)
    src = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()


_writing: ContextVar[bool] = ContextVar("jarvis_db_writing", default=False)


def _sqlite_events(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine
    dialect = sync_engine.dialect
    rollback = dialect.do_rollback

    def _rollback_if_open(dbapi_conn: Any) -> None:
        # A read without a transaction has nothing to roll back: skip the trip to the
        # connection's thread (the sqlite3 connection knows whether one is open).
        raw = getattr(getattr(dbapi_conn, "_connection", None), "_conn", None)
        if raw is not None and not raw.in_transaction:
            return
        rollback(dbapi_conn)

    # a plain function in the bound method's place: mypy types the attribute as that method
    dialect.do_rollback = _rollback_if_open  # type: ignore[method-assign, assignment]

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
        options = conn.get_execution_options()
        if options.get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif not options.get("sqlite_autocommit"):
            conn.exec_driver_sql("BEGIN")
