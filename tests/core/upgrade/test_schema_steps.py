"""The schema runner's promises: steps of an unrecorded existing component run, a newer
database is refused, a model column without a step is named, SQLite is copied before a step."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from types import SimpleNamespace

import pytest
from jarvis import Migration
from jarvis.db import Database, SchemaError
from sqlalchemy import Column, Integer, MetaData, String, Table, text
from sqlmodel import Field, SQLModel

from .conftest import restore_release


class Gadget(SQLModel, table=True):
    __tablename__ = "test_gadgets"
    id: int | None = Field(default=None, primary_key=True)
    name: str


def _gadget_v2():
    """The same table as a later model declares it: one column more."""
    table = Table("test_gadgets", MetaData(), Column("id", Integer, primary_key=True),
                  Column("name", String, nullable=False), Column("colour", String(20)))
    return SimpleNamespace(__table__=table)


def add_colour(conn):
    conn.execute(text("ALTER TABLE test_gadgets ADD COLUMN colour VARCHAR(20)"))


@pytest.fixture
async def db(make_settings, database):
    d = Database(make_settings().resolved_database_url, schema=database["schema"])
    yield d
    await d.dispose()


async def _version(db, component):
    async with db.read() as conn:
        return (await conn.execute(text(
            "SELECT version FROM jarvis_schema WHERE component = :c"), {"c": component})).scalar()


async def test_existing_tables_without_a_recorded_version_run_every_step(db):
    await db.setup({"gadgets": [Gadget]}, [])
    async with db.write() as conn:  # as a release that did not record the component left it
        await conn.execute(text("DELETE FROM jarvis_schema WHERE component = 'gadgets'"))
        await conn.execute(text("INSERT INTO test_gadgets (name) VALUES ('old')"))
    await db.setup({"gadgets": [_gadget_v2()]}, [Migration("gadgets", 1, "colour", add_colour)])
    async with db.read() as conn:
        row = (await conn.execute(text("SELECT name, colour FROM test_gadgets"))).one()
    assert tuple(row) == ("old", None)
    assert await _version(db, "gadgets") == 1


async def test_a_fresh_component_gets_its_tables_and_skips_its_steps(db):
    ran = []
    await db.setup({"gadgets": [_gadget_v2()]},
                   [Migration("gadgets", 1, "colour", lambda c: ran.append(1))])
    assert ran == [] and await _version(db, "gadgets") == 1


async def test_a_database_newer_than_the_code_is_refused(db):
    await db.setup({"gadgets": [Gadget]}, [])
    async with db.write() as conn:
        await conn.execute(text("UPDATE jarvis_schema SET version = 3 WHERE component = 'core'"))
    with pytest.raises(SchemaError, match="schema of core is at version 3 .* up to 0"):
        await db.setup({"gadgets": [Gadget]}, [])


async def test_a_model_column_without_a_step_is_named(db):
    await db.setup({"gadgets": [Gadget]}, [])
    with pytest.raises(SchemaError) as err:
        await db.setup({"gadgets": [_gadget_v2()]}, [])
    assert str(err.value).startswith("table test_gadgets has no column colour")
    status = await db.schema_status({"gadgets": [_gadget_v2()]}, [])
    assert status["missing_columns"] == [
        {"component": "gadgets", "table": "test_gadgets", "column": "colour"}]


async def test_sqlite_is_copied_before_a_step_runs(db, tmp_path):
    if not db.is_sqlite:
        pytest.skip("the file copy is SQLite's; PostgreSQL runs steps in one transaction")
    await db.setup({"gadgets": [Gadget]}, [])
    async with db.write() as conn:
        await conn.execute(text("INSERT INTO test_gadgets (name) VALUES ('before')"))
    await db.setup({"gadgets": [_gadget_v2()]}, [Migration("gadgets", 1, "colour", add_colour)])
    (copy,) = db.sqlite_path.parent.glob("jarvis.db.before-upgrade-*")
    with sqlite3.connect(copy) as conn:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(test_gadgets)")]
        names = [r[0] for r in conn.execute("SELECT name FROM test_gadgets")]
    assert cols == ["id", "name"] and names == ["before"]
    await db.setup({"gadgets": [_gadget_v2()]}, [Migration("gadgets", 1, "colour", add_colour)])
    assert len(list(db.sqlite_path.parent.glob("jarvis.db.before-upgrade-*"))) == 1  # no step


def _jarvis(*args, data_dir, port=None):
    env = {"PATH": "/usr/bin:/bin", "JARVIS_DATA_DIR": str(data_dir),
           "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    if port is not None:
        env["JARVIS_PORT"] = str(port)
    return subprocess.run([sys.executable, "-m", "jarvis", *args], env=env, text=True,
                          capture_output=True, timeout=120)


def test_cli_db_current_upgrade_and_refusal_to_serve(tmp_path, database):
    if database["schema"] is not None:
        pytest.skip("the CLI reads JARVIS_DATABASE_URL; one database is enough for it")
    data = tmp_path / "data"
    restore_release(database, data)
    before = _jarvis("db", "current", data_dir=data)
    assert before.returncode == 0, before.stderr
    assert "web: version none (code: 0) up to date" in before.stdout
    up = _jarvis("db", "upgrade", data_dir=data)
    assert up.returncode == 0, up.stderr
    assert "web: version 0" in up.stdout
    with sqlite3.connect(data / "jarvis.db") as conn:
        conn.execute("UPDATE jarvis_schema SET version = 9 WHERE component = 'core'")
    refused = _jarvis("serve", data_dir=data, port=0)
    assert refused.returncode == 2
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith("jarvis: error: the database schema of core is at version 9")
