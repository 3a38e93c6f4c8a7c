"""Fixtures for the agents, tasks and scheduler tests: the scripted model, a few tools, and
helpers to wait for runs and to read what the scheduler recorded."""

from __future__ import annotations

from typing import Any

import pytest
from jarvis import Tool
from jarvis.keys import DATABASE, RUNTIME, SCHEDULER
from jarvis.models.runs import Run
from jarvis.run_requests import RunOutcome
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider
from sqlalchemy import func, select

from tests.support.tools import answering_tool, lookup, send_note

runs_table = Run.__table__


@pytest.fixture
def model() -> ScriptedProvider:
    return ScriptedProvider(id="fake", models=("echo", "small"))


@pytest.fixture
def tools() -> dict[str, Tool]:
    open_desktop = answering_tool("open_desktop", "desktop", "Open something on the desktop.",
                                  "opened", allowed_in_scheduled_runs=False)
    return {t.name: t for t in (lookup(), send_note(), open_desktop)}


@pytest.fixture
def jarvis_plugins(model, tools) -> list[Any]:
    return [ModelPlugin(model, tools=tools.values())]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS}


@pytest.fixture
def app(anon_client):
    return anon_client.app


@pytest.fixture
def scheduler(app):
    return app[SCHEDULER]


AGENT = {"name": "Daily Summary", "prompt": "Summarise my day.", "model": "fake:echo",
         "schedule": "0 8 * * *", "allowed_tools": ["info"], "enabled": True,
         "prompt_mode": "combined", "max_tool_calls": None}


async def finished(app, run_id: str) -> RunOutcome:
    """The outcome of a run once it ended."""
    return await app[RUNTIME].wait(run_id)


async def run_rows(app, **where: Any) -> list[dict[str, Any]]:
    """Run rows matching ``where``, oldest first."""
    conds = [runs_table.c[k] == v for k, v in where.items()]
    async with app[DATABASE].read() as conn:
        rows = (await conn.execute(
            select(runs_table).where(*conds).order_by(runs_table.c.created_at)
        )).mappings().all()
    return [dict(r) for r in rows]


async def count_runs(app, **where: Any) -> int:
    conds = [runs_table.c[k] == v for k, v in where.items()]
    async with app[DATABASE].read() as conn:
        return int(await conn.scalar(select(func.count()).select_from(runs_table).where(*conds)))


TASK = {"name": "Morning check", "schedule": "0 8 * * *", "prompt": "Check the calendar.",
        "allowed_tools": ["info"], "enabled": True}


class Kind:
    """One view of the agents (``/api/agents`` or ``/api/tasks``), for tests that hold for both."""

    def __init__(self, name: str, path: str, example: dict[str, Any], item_routes: list):
        self.name, self.path, self.example, self.item_routes = name, path, example, item_routes

    def __repr__(self) -> str:
        return self.name

    async def make(self, client, **fields: Any) -> dict[str, Any]:
        resp = await client.post(self.path, json={**self.example, **fields})
        body = await resp.json()
        assert resp.status == 201, body
        return body

    async def read(self, client, item_id: str) -> dict[str, Any]:
        """The object as ``GET <path>/{id}`` shows it (an agent's sits in its detail)."""
        resp = await client.get(f"{self.path}/{item_id}")
        body = await resp.json()
        assert resp.status == 200, body
        return body["agent"] if self.name == "agent" else body


AGENTS = Kind("agent", "/api/agents", AGENT, [
    ("GET", "", None), ("PUT", "", {"name": "x"}), ("DELETE", "", None),
    ("POST", "/run", {}), ("POST", "/stop", None)])
TASKS = Kind("task", "/api/tasks", TASK, [
    ("GET", "", None), ("PUT", "", {"name": "x"}), ("DELETE", "", None),
    ("POST", "/toggle", None), ("POST", "/run", None)])
KINDS = [AGENTS, TASKS]
make_agent = AGENTS.make
make_task = TASKS.make
