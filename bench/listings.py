"""The listings (agents, tasks, conversations, runs, audit) against a bare aiohttp handler reading
the same rows with SQLAlchemy Core (bench.listing_bare), at two table sizes, and a deep page
(the last one, reached by cursor) against the first. Every server runs in its own process; the
load comes from another one, the bare figure and Jarvis's taken in turn (bare, Jarvis, Jarvis,
bare) so a drift in the machine's load weighs on both.

Figures per size (``1k``, ``10k``): requests per second of each listing through Jarvis and the
bare app and their ratio (``*_vs_bare``), the deep page's ratio to the bare app's same page by
cursor and to Jarvis's own first page (``*_deep_vs_first``: 1.0 is flat)."""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from jarvis.db import Database, new_id
from jarvis.models.agents import Agent
from jarvis.models.conversations import Conversation, StoredMessage
from jarvis.models.runs import Run
from jarvis.models.tables import table_of
from jarvis.models.users import User
from jarvis.services.audit_chain import CHAIN_ID, chain_table
from jarvis.timeutil import utcnow
from sqlalchemy import insert, select, text

from .audit import Loader
from .http_overhead import _merge
from .procs import free_port, jarvis_env, load, process, wait_until_up
from .session import USERNAME, BenchSetupError, create_admin, login

NAME = "listings"
LISTS = {"agents": "/api/agents", "tasks": "/api/tasks", "conversations": "/api/conversations",
         "runs": "/api/runs", "audit": "/api/audit"}
PAGED = ("conversations", "runs", "audit")
BATCH = 2_000


def _sizes(quick: bool, smoke: bool) -> tuple[float, list[int]]:
    """Seconds per measurement and the table sizes."""
    if smoke:
        return 0.3, [60]
    return (1.0, [1_000, 10_000]) if quick else (4.0, [1_000, 10_000])


def _label(rows: int) -> str:
    return f"{rows // 1000}k" if rows >= 1000 else str(rows)


async def _insert(db: Database, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with db.write() as conn:
            await conn.execute(insert(table), rows[start:start + BATCH])


async def _seed(db: Database, user_id: str, count: int, done: int) -> None:
    """Rows ``done`` up to ``count`` of every listed table, owned by ``user_id``."""
    now = utcnow() - timedelta(days=1)
    new = range(done, count)

    def agent(i: int, kind: str) -> dict[str, Any]:
        at = now - timedelta(seconds=i)
        return {"id": new_id(), "user_id": user_id, "kind": kind, "name": f"{kind} {i}",
                "prompt": f"Summarise the news about topic {i} in three lines.",
                "model": None, "enabled": True, "prompt_mode": "combined",
                "schedule": f"{i % 60} {i % 24} {1 + i % 28} {1 + i % 12} *",
                "allowed_tools": '["web_fetch"]' if i % 3 else "[]", "max_tool_calls": None,
                "created_at": at, "updated_at": at, "scheduled_since": at}

    for kind in ("agent", "task"):
        await _insert(db, table_of(Agent), [agent(i, kind) for i in new])
    convs = [{"id": new_id(), "user_id": user_id, "session_id": None, "title": f"chat {i}",
              "model": "fake:echo", "started_at": now - timedelta(seconds=i),
              "updated_at": now} for i in new]
    await _insert(db, table_of(Conversation), convs)
    await _insert(db, table_of(StoredMessage), [
        {"conversation_id": c["id"], "run_id": None, "role": role, "content": "hello",
         "model_content": None, "tool_calls": None if role == "user" else "[]",
         "tool_call_id": None, "tool_name": None, "is_error": False, "attachments": None,
         "created_at": c["started_at"]} for c in convs for role in ("user", "assistant")])
    await _insert(db, table_of(Run), [
        {"id": new_id(), "kind": "agent", "user_id": user_id, "agent_id": None, "task_id": None,
         "session_id": None, "conversation_id": None, "trigger": None, "model": "fake:echo",
         "status": "done", "input_tokens": 10, "output_tokens": 20, "tool_calls": 1,
         "prompt": "p", "final_text": "done", "error": None,
         "created_at": now - timedelta(seconds=i), "started_at": now - timedelta(seconds=i),
         "finished_at": now - timedelta(seconds=i), "instance_id": None, "parent_run_id": None,
         "stop_requested": False} for i in new])
    async with db.engine.connect() as conn:
        head = (await conn.execute(select(chain_table).where(chain_table.c.id == CHAIN_ID))).one()
    loader = Loader(db, count)
    loader.next_id, loader.prev_hash = head.head_id + 1, head.head_hash
    loader.start = now - timedelta(seconds=2 * count)
    await loader.add(count - done)
    if not db.is_sqlite:  # what autovacuum would do soon after a bulk load
        async with db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))


async def _deep_cursor(base: str, path: str, headers: dict[str, str]) -> str | None:
    """The cursor of the last page of 50, walked to page by page."""
    cursor: str | None = None
    async with aiohttp.ClientSession(headers=headers) as session:
        while True:
            url = f"{base}{path}?per_page=50" + (f"&cursor={cursor}" if cursor else "")
            async with session.get(url) as resp:
                if resp.status != 200:
                    raise BenchSetupError(f"{url} answered {resp.status}: {await resp.text()}")
                following = (await resp.json()).get("next_cursor")
            if not following:
                return cursor
            cursor = following


async def _pair(bare: str, jarvis: str, headers: dict[str, str], seconds: float) -> tuple:
    half = seconds / 2
    b = [await load(bare, half, 8)]
    j = [await load(jarvis, half, 8, headers) for _ in range(2)]
    b.append(await load(bare, half, 8))
    return _merge(*b), _merge(*j)


async def _measure(seconds: float, bases: dict[str, str], headers: dict[str, str],
                   label: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    errors = 0
    for name, path in LISTS.items():
        bare, jarvis = await _pair(bases["bare"] + path, bases["jarvis"] + path, headers, seconds)
        out[f"{name}_{label}_rps"] = round(jarvis["rps"], 1)
        out[f"bare_{name}_{label}_rps"] = round(bare["rps"], 1)
        out[f"{name}_{label}_vs_bare"] = round(jarvis["rps"] / bare["rps"], 3)
        errors += bare["errors"] + jarvis["errors"]
        if bare["errors"] or jarvis["errors"]:
            print(f"{name}: errors bare {bare['errors']}, jarvis {jarvis['errors']}",
                  file=sys.stderr)
        if name in PAGED:
            cursor = await _deep_cursor(bases["jarvis"], path, headers)
            deep = f"{path}?cursor={cursor}" if cursor else path
            bare_deep, jarvis_deep = await _pair(bases["bare"] + deep, bases["jarvis"] + deep,
                                                 headers, seconds)
            out[f"{name}_{label}_deep_vs_bare"] = round(jarvis_deep["rps"] / bare_deep["rps"], 3)
            out[f"{name}_{label}_deep_vs_first"] = round(jarvis_deep["rps"] / jarvis["rps"], 3)
            errors += bare_deep["errors"] + jarvis_deep["errors"]
            if bare_deep["errors"] or jarvis_deep["errors"]:
                print(f"{name}, last page: errors bare {bare_deep['errors']}, "
                      f"jarvis {jarvis_deep['errors']}", file=sys.stderr)
    out[f"errors_{label}"] = errors
    return out


async def run(quick: bool, *, smoke: bool = False, database_url: str | None = None) -> dict:
    seconds, sizes = _sizes(quick, smoke)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        port, bare_port = free_port(), free_port()
        env = jarvis_env(data_dir, port, database_url)
        url = database_url or f"sqlite+aiosqlite:///{(data_dir / 'jarvis.db').as_posix()}"
        bases = {"bare": f"http://127.0.0.1:{bare_port}", "jarvis": f"http://127.0.0.1:{port}"}
        await create_admin(data_dir, env)  # sets the schema up too
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                user_id = (await conn.execute(select(table_of(User).c.id).where(
                    table_of(User).c.username == USERNAME))).scalar_one()
            done = 0
            for rows in sizes:
                await _seed(db, user_id, rows, done)
                done = rows
                with process([sys.executable, "-m", "jarvis", "serve"], env) as server, \
                        process([sys.executable, "-m", "bench.listing_bare", str(bare_port),
                                 url]) as bare:
                    await wait_until_up(f"{bases['jarvis']}/health", server=server)
                    await wait_until_up(f"{bases['bare']}/health", server=bare)
                    creds = await login(bases["jarvis"])
                    figures.update(await _measure(seconds, bases, creds.key_headers,
                                                  _label(rows)))
                    server.check_alive()
        finally:
            await db.dispose()
    return figures
