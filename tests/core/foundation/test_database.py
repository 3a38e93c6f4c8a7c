"""Tables from plugins are created with the core's; migration steps run once, in order."""

from __future__ import annotations

import pytest
from jarvis import Migration, hookimpl
from jarvis.db import Database
from jarvis.keys import DATABASE
from sqlalchemy import text
from sqlmodel import Field, SQLModel


class Widget(SQLModel, table=True):
    __tablename__ = "test_widgets"
    id: int | None = Field(default=None, primary_key=True)
    name: str


applied: list[int] = []


def add_colour(conn):
    applied.append(2)
    conn.execute(text("ALTER TABLE test_widgets ADD COLUMN colour VARCHAR(20)"))


class WidgetPlugin:
    def __init__(self, steps=()):
        self.steps = list(steps)

    @hookimpl
    def register_models(self):
        return [Widget, *self.steps]


async def test_plugin_tables_are_created_with_the_core(make_client):
    client = await make_client(WidgetPlugin())
    db = client.app[DATABASE]
    async with db.session() as s:
        s.add(Widget(name="gear"))
        await s.commit()
    async with db.read() as conn:
        names = (await conn.execute(text("SELECT name FROM test_widgets"))).scalars().all()
    assert names == ["gear"]


async def test_fresh_install_skips_steps_and_existing_install_runs_new_ones(
    make_settings, database, make_app
):
    applied.clear()
    step1 = Migration("widgets", 1, "baseline", lambda conn: applied.append(1))
    db = Database(make_settings().resolved_database_url, schema=database["schema"])
    await db.setup({"widgets": [Widget]}, [step1])
    assert applied == []  # a fresh install gets the current tables, not the steps
    step2 = Migration("widgets", 2, "add colour", add_colour)
    await db.setup({"widgets": [Widget]}, [step1, step2])
    await db.setup({"widgets": [Widget]}, [step1, step2])  # a second start runs nothing again
    assert applied == [2]
    async with db.write() as conn:
        await conn.execute(text("INSERT INTO test_widgets (name, colour) VALUES ('cog', 'red')"))
    async with db.read() as conn:
        row = (await conn.execute(text("SELECT name, colour FROM test_widgets"))).one()
    assert tuple(row) == ("cog", "red")
    await db.dispose()


async def test_sqlite_uses_wal(make_client):
    client = await make_client()
    db = client.app[DATABASE]
    if not db.is_sqlite:
        pytest.skip("SQLite only")
    async with db.read() as conn:
        mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar()
    assert mode == "wal"
