"""Nearest-neighbour search on each database: sqlite-vec on SQLite, pgvector on PostgreSQL.

Both compute cosine distance over the calling user's own rows only (exact search, filtered by
user first).

sqlite-vec reaches SQLite's connections in one of two ways. It is registered once with the
SQLite library that Python's ``sqlite3`` module runs on (``sqlite3_auto_extension``, through
ctypes), so every connection opened afterwards has it, also on interpreters built without
``enable_load_extension``; where that library cannot be reached, it is loaded into each
connection. Only where neither works does a Python function stand in, and only where
PostgreSQL has no ``vector`` extension is the distance summed in SQL; both are logged as
warnings at start-up.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.exc import DBAPIError

from .models import Embedding, unpack

log = logging.getLogger("jarvis.memory")
_LOADED = "jarvis_memory.vec"  # the backends a pooled SQLite connection has been given
STAND_IN = "jarvis_memory_cosine_distance"  # never sqlite-vec's own name: no connection mixes them
_REGISTERED: list[ctypes.CDLL] = []  # sqlite-vec once registered: kept loaded for the process


@dataclass(frozen=True, slots=True)
class Backend:
    """How this database computes a distance: ``sqlite-vec``, ``sqlite-python`` (the stand-in),
    ``pgvector`` (with the schema holding the extension) or ``postgresql-array``.
    ``per_connection``: sqlite-vec is loaded into each connection rather than registered."""

    kind: str
    schema: str | None = None
    per_connection: bool = False

    def distance(self, dialect: Any) -> str:
        """A SQL expression: the cosine distance of ``embedding`` to the bound ``:query``."""
        if self.kind == "pgvector":
            where = dialect.identifier_preparer.quote(self.schema or "public")
            vector = f"{where}.vector"
            return (f"(CAST(embedding AS {vector}) OPERATOR({where}.<=>) "
                    f"CAST(CAST(:query AS real[]) AS {vector}))")
        if self.kind == "postgresql-array":
            # vectors are stored at unit length: the distance is one minus the dot product
            return ("(1 - (SELECT sum(p.a * p.b) FROM unnest(embedding, CAST(:query AS real[])) "
                    "AS p(a, b)))")
        if self.kind == "sqlite-python":
            return f"{STAND_IN}(embedding, :query)"
        return "vec_distance_cosine(embedding, :query)"


def cosine_distance(first: bytes, second: bytes) -> float | None:
    """sqlite-vec's ``vec_distance_cosine`` for float32 blobs, in Python (the stand-in)."""
    a, b = unpack(first), unpack(second)
    if len(a) != len(b) or not a:
        return None
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return None if norm == 0 else 1.0 - dot / norm


def register_sqlite_vec() -> bool:
    """Register sqlite-vec with the SQLite library of Python's ``sqlite3`` module, once per
    process: each SQLite connection opened from then on has its functions. False where that
    library cannot be reached or loads no extensions."""
    if _REGISTERED:
        return True
    try:
        import _sqlite3  # the module's shared object: its symbols and its libsqlite3's

        import sqlite_vec

        library = ctypes.CDLL(_sqlite3.__file__)
        if library.sqlite3_compileoption_used(b"OMIT_LOAD_EXTENSION"):
            return False  # such a library hands extensions no API to call
        extension = ctypes.CDLL(_shared_object(sqlite_vec.loadable_path()))
        entry = ctypes.cast(extension.sqlite3_vec_init, ctypes.c_void_p)
        register = library.sqlite3_auto_extension
    except (ImportError, OSError, AttributeError) as err:
        log.info("sqlite-vec cannot be registered with SQLite here (%s)", err)
        return False
    register.argtypes = [ctypes.c_void_p]
    register.restype = ctypes.c_int
    if register(entry) != 0:
        return False
    _REGISTERED.append(extension)
    return True


def _shared_object(stem: str) -> str:
    for suffix in (".so", ".dylib", ".dll"):
        if os.path.exists(stem + suffix):
            return stem + suffix
    raise OSError(f"no sqlite-vec library at {stem}")


async def prepare(conn: Any, backend: Backend) -> None:
    """Give a pooled SQLite connection what the backend needs (once per connection): sqlite-vec
    where it is loaded per connection, or the stand-in."""
    if backend.kind != "sqlite-python" and not backend.per_connection:
        return
    raw = await conn.get_raw_connection()
    given: set[str] = raw.info.setdefault(_LOADED, set())
    if backend.kind in given:
        return
    driver = raw.driver_connection  # aiosqlite's connection
    if backend.kind == "sqlite-vec":
        await _load(driver)
    else:
        await driver.create_function(STAND_IN, 2, cosine_distance, deterministic=True)
    given.add(backend.kind)


async def _load(driver: Any) -> None:
    import sqlite_vec

    await driver.enable_load_extension(True)
    try:
        await driver.load_extension(sqlite_vec.loadable_path())
    finally:
        await driver.enable_load_extension(False)


async def detect(db: Any) -> Backend:
    """What this database offers; on PostgreSQL the ``vector`` extension is created when
    it is installed and the database user may create it."""
    if db.is_sqlite:
        return await _sqlite_backend(db)
    return await _pg_backend(db)


async def _sqlite_backend(db: Any) -> Backend:
    registered = register_sqlite_vec()
    async with db.read() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        version = await sqlite_vec_version(driver) if registered else None
        if version is not None:
            log.info("memory search: sqlite-vec %s, registered with SQLite", version)
            return Backend("sqlite-vec")
        backend = Backend("sqlite-vec", per_connection=True)
        try:
            await prepare(conn, backend)
        except Exception as err:  # an interpreter built without loadable extensions
            log.warning("sqlite-vec cannot be loaded here (%s: %s); a Python distance function "
                        "stands in for it", type(err).__name__, err)
            return Backend("sqlite-python")
        log.info("memory search: sqlite-vec %s, loaded into each connection",
                 await sqlite_vec_version(driver))
        return backend


async def sqlite_vec_version(driver: Any) -> str | None:
    """sqlite-vec's version on this aiosqlite connection, or None where it has no sqlite-vec."""
    try:
        async with driver.execute("SELECT vec_version()") as cursor:
            row = await cursor.fetchone()
    except sqlite3.OperationalError:  # no such function
        return None
    return str(row[0])


async def _pg_backend(db: Any) -> Backend:
    schema = await _vector_schema(db)
    if schema is None:
        try:
            async with db.write() as conn:
                await conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
        except DBAPIError as err:  # not installed, or no right to create it
            log.info("pgvector is not available (%s)", " ".join(str(err.orig).split())[:200])
        schema = await _vector_schema(db)
    if schema is None:
        log.warning("PostgreSQL has no pgvector: memory search sums distances in SQL")
        return Backend("postgresql-array")
    log.info("memory search: pgvector in schema %s", schema)
    return Backend("pgvector", schema)


async def _vector_schema(db: Any) -> str | None:
    async with db.read() as conn:
        found = await conn.execute(text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'vector'"))
        return found.scalar()


def query_param(vector: list[float]) -> Any:
    """The bound ``:query`` vector, in the database's own format."""
    return bindparam("query", vector, type_=Embedding())
