"""Nearest-neighbour search on each database: sqlite-vec on SQLite, pgvector on PostgreSQL.

Both compute cosine distance over the calling user's own rows only (exact search, filtered by
user first). Where the interpreter's sqlite3 cannot load extensions, a Python function with
sqlite-vec's name and meaning stands in; where PostgreSQL has no ``vector`` extension, the
distance is summed in SQL over the stored ``real[]``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.exc import DBAPIError

from .models import Embedding, unpack

log = logging.getLogger("jarvis.memory")
_LOADED = "jarvis_memory.vec"  # marks a pooled SQLite connection that has the distance function


@dataclass(frozen=True, slots=True)
class Backend:
    """How this database computes a distance: ``sqlite-vec``, ``sqlite-python``, ``pgvector``
    (with the schema holding the extension) or ``postgresql-array``."""

    kind: str
    schema: str | None = None

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
        return "vec_distance_cosine(embedding, :query)"


def cosine_distance(first: bytes, second: bytes) -> float | None:
    """sqlite-vec's ``vec_distance_cosine`` for float32 blobs, in Python."""
    a, b = unpack(first), unpack(second)
    if len(a) != len(b) or not a:
        return None
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return None if norm == 0 else 1.0 - dot / norm


async def prepare(conn: Any, backend: Backend) -> None:
    """Give a pooled SQLite connection the distance function, once per connection."""
    if not backend.kind.startswith("sqlite"):
        return
    raw = await conn.get_raw_connection()
    if raw.info.get(_LOADED):
        return
    driver = raw.driver_connection  # aiosqlite's connection
    if backend.kind == "sqlite-vec":
        import sqlite_vec

        await driver.enable_load_extension(True)
        try:
            await driver.load_extension(sqlite_vec.loadable_path())
        finally:
            await driver.enable_load_extension(False)
    else:
        await driver.create_function("vec_distance_cosine", 2, cosine_distance,
                                     deterministic=True)
    raw.info[_LOADED] = True


async def detect(db: Any) -> Backend:
    """What this database offers; on PostgreSQL the ``vector`` extension is created when
    it is installed and the database user may create it."""
    if db.is_sqlite:
        return await _sqlite_backend(db)
    return await _pg_backend(db)


async def _sqlite_backend(db: Any) -> Backend:
    import sqlite_vec

    async with db.read() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        try:
            await driver.enable_load_extension(True)
            await driver.load_extension(sqlite_vec.loadable_path())
            await driver.enable_load_extension(False)
        except Exception as err:  # an interpreter built without loadable extensions
            log.warning("sqlite-vec cannot be loaded here (%s); a Python distance function "
                        "stands in for it", type(err).__name__)
            return Backend("sqlite-python")
        raw.info[_LOADED] = True
    return Backend("sqlite-vec")


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
