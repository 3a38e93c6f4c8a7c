"""The memory plugin's vector search on the real extensions: sqlite-vec inside SQLite's own
connections, pgvector's ``<=>`` on PostgreSQL, each over the caller's notes only. The stand-ins
(a Python function on SQLite, distances summed in SQL on PostgreSQL) serve only where the
extension cannot run, and never where ``TEST_VECTOR_SEARCH=real`` (as in CI) says both must be
the real ones."""

from __future__ import annotations

import logging
import math
import os
import sqlite3
from contextlib import contextmanager

import sqlite_vec
from jarvis.testing.fake_embeddings import word_vector
from jarvis.testing.plugins import plugin_context
from jarvis_memory import store, vectors
from jarvis_memory.embed import normalise
from jarvis_memory.tools import BACKEND
from jarvis_memory.vectors import Backend
from sqlalchemy import event, text

REAL = os.environ.get("TEST_VECTOR_SEARCH") == "real"
MODEL = "test/embedding-32"
NOTES = ["The espresso machine needs descaling every month",
         "My bicycle tyre pressure is 4 bar",
         "Tax return deadline is the end of July",
         "Descaling the kettle takes vinegar"]
QUERY = "espresso descaling every month"


def vector(words: str) -> list[float]:
    return normalise(word_vector(words))


async def keep(client, *notes: str) -> list[str]:
    db = plugin_context(client, "memory").db
    return [(await store.capture(db, client.user.id, note, MODEL, vector(note))).id
            for note in notes]


def stand_in(db) -> Backend:
    return Backend("sqlite-python") if db.is_sqlite else Backend("postgresql-array")


@contextmanager
def statements(db):
    """The SQL statements the database runs meanwhile."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_search_runs_on_the_real_extension(alice):
    context = plugin_context(alice, "memory")
    db, backend = context.db, context.state[BACKEND]
    if REAL:
        assert backend.kind == ("sqlite-vec" if db.is_sqlite else "pgvector")
    async with db.read() as conn:
        await vectors.prepare(conn, backend)
        if backend.kind == "sqlite-vec":  # a function only the extension itself has
            driver = (await conn.get_raw_connection()).driver_connection
            assert (await vectors.sqlite_vec_version(driver)) == f"v{sqlite_vec.__version__}"
        elif backend.kind == "pgvector":
            found = await conn.scalar(text(
                "SELECT e.extversion FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'vector' AND n.nspname = :s"),
                {"s": backend.schema})
            assert found is not None
        elif db.is_sqlite:  # the stand-in, only where sqlite-vec cannot reach SQLite
            assert backend.kind == "sqlite-python" and not vectors.register_sqlite_vec()
        else:  # summed distances, only where the server has no pgvector to create
            assert backend.kind == "postgresql-array"
            assert not await conn.scalar(text(
                "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'"))


async def test_sqlite_vec_is_in_each_connection_sqlite_opens():
    registered = vectors.register_sqlite_vec()
    assert registered or not REAL
    if registered:  # a connection of Python's own sqlite3 module, opened after the registration
        with sqlite3.connect(":memory:") as conn:
            distance = conn.execute(
                "SELECT vec_distance_cosine(vec_f32('[1, 0]'), vec_f32('[0, 1]'))").fetchone()
        assert distance == (1.0,)


async def test_the_distances_are_cosine_on_the_real_and_the_stand_in_backend(alice):
    context = plugin_context(alice, "memory")
    db, best = context.db, context.state[BACKEND]
    await keep(alice, *NOTES)
    query = vector(QUERY)
    similarity = {n: sum(a * b for a, b in zip(query, vector(n), strict=True)) for n in NOTES}
    expected = sorted(NOTES, key=lambda n: -similarity[n])
    assert len({round(s, 4) for s in similarity.values()}) == len(NOTES)  # no ties to order
    # the stand-in on a pooled connection leaves the real backend real there
    for backend in (best, stand_in(db), best):
        with statements(db) as seen:
            hits = await store.search(db, backend, alice.user.id, MODEL, query, 10)
        assert [h.content for h in hits] == expected
        for hit in hits:
            assert math.isclose(hit.score, similarity[hit.content], abs_tol=1e-5)
        distance = backend.distance(db.engine.dialect).split(":query")[0]
        assert any(distance in s for s in seen)


async def test_a_search_finds_only_the_callers_notes_on_every_backend(alice, bob):
    db = plugin_context(alice, "memory").db
    hers = await keep(alice, *NOTES)
    his = await keep(bob, *NOTES, "Bob keeps his espresso beans in the freezer")
    for backend in (plugin_context(alice, "memory").state[BACKEND], stand_in(db)):
        for words in (*NOTES, QUERY, "Bob keeps his espresso beans in the freezer"):
            hits = await store.search(db, backend, alice.user.id, MODEL, vector(words), 20)
            assert sorted(h.id for h in hits) == sorted(hers)
            hits = await store.search(db, backend, bob.user.id, MODEL, vector(words), 20)
            assert sorted(h.id for h in hits) == sorted(his)


async def test_without_the_extension_the_stand_in_serves_and_says_so(alice, monkeypatch,
                                                                     caplog):
    db = plugin_context(alice, "memory").db
    if db.is_sqlite:  # neither registered with SQLite nor loadable into a connection
        monkeypatch.setattr(vectors, "register_sqlite_vec", lambda: False)
        monkeypatch.setattr(sqlite_vec, "loadable_path", lambda: "/nonexistent/vec0")
        said = "a Python distance function stands in"
    else:  # a server where no schema holds the extension after CREATE EXTENSION
        async def no_schema(db):
            return None

        monkeypatch.setattr(vectors, "_vector_schema", no_schema)
        said = "PostgreSQL has no pgvector: memory search sums distances in SQL"
    with caplog.at_level(logging.INFO, logger="jarvis.memory"):
        backend = await vectors.detect(db)
    assert backend == stand_in(db)
    assert [r.levelno for r in caplog.records if said in r.getMessage()] == [logging.WARNING]
    await keep(alice, *NOTES)
    hits = await store.search(db, backend, alice.user.id, MODEL, vector(QUERY), 1)
    assert [h.content for h in hits] == [NOTES[0]]
