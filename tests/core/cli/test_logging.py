"""Logs: a level, JSON lines on request, an access log that keeps secrets out, and no
routine INFO chatter from the scheduler."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import signal

import pytest
from aiohttp import web
from jarvis import Access, Routes, hookimpl
from jarvis.logs import JsonFormatter, configure_logging
from jarvis.testing.clients import api_key_for, create_user, session_for

from .commands import serving


@pytest.fixture
def json_log():
    """What the ``jarvis`` loggers write, as JSON lines (the format JARVIS_LOG_FORMAT=json
    selects), read back as dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("jarvis")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)

    def entries(name: str | None = None) -> list[dict]:
        found = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [e for e in found if name is None or e["logger"] == name]

    yield entries
    logger.removeHandler(handler)
    logger.setLevel(old_level)


class Boom:
    routes = Routes("boom")

    @staticmethod
    @routes.get("/api/boom", access=Access.USER)
    async def boom(request: web.Request) -> None:
        raise RuntimeError("a bug")

    @hookimpl
    def register_routes(self, settings):
        return self.routes


async def test_the_access_log_names_the_request_and_never_its_secrets(make_client, json_log):
    client = await make_client()
    alice = await create_user(client, "alice")
    key = await api_key_for(client, alice)
    resp = await client.get("/api/my/api-keys?page=s3cret-query&api_key=s3cret-query",
                            headers={"Authorization": f"Bearer {key}"})
    assert resp.status == 400  # a credential-like query is refused, and still logged
    resp = await client.get("/api/my/api-keys", headers={"Authorization": f"Bearer {key}"})
    assert resp.status == 200
    await session_for(client, alice)
    resp = await client.post("/api/my/password", json={
        "current_password": "the-old-secret-pw", "new_password": "the-new-secret-pw"},
        headers={"Origin": str(client.make_url("/").origin())})
    assert resp.status == 400  # a wrong current password
    cookie = "; ".join(f"{c.key}={c.value}" for c in client.session.cookie_jar)
    entries = json_log("jarvis.access")
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/api/my/api-keys", 400), ("GET", "/api/my/api-keys", 200),
        ("POST", "/api/my/password", resp.status),
    ]
    for entry in entries:
        assert set(entry) >= {"time", "level", "logger", "message", "duration_ms"}
        assert entry["level"] == "INFO" and entry["duration_ms"] >= 0
    assert entries[1]["user_id"] == alice.id and entries[2]["user_id"] == alice.id
    written = json.dumps(entries)
    for secret in (key, "s3cret-query", "the-old-secret-pw", "the-new-secret-pw",
                   cookie.split("=", 1)[-1]):
        assert secret not in written


async def test_a_log_record_during_a_request_carries_its_fields(make_client, json_log):
    client = await make_client(Boom())
    bob = await create_user(client, "bob")
    await session_for(client, bob)
    resp = await client.get("/api/boom")
    assert resp.status == 500
    (error,) = json_log("jarvis.http")
    assert error["level"] == "ERROR"
    assert error["message"] == "unhandled error on GET /api/boom"
    assert (error["method"], error["path"], error["user_id"]) == ("GET", "/api/boom", bob.id)
    assert "RuntimeError: a bug" in error["exception"]
    (access,) = json_log("jarvis.access")
    assert access["status"] == 500


@pytest.fixture
def root_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    yield
    root.handlers[:], _ = saved[0], root.setLevel(saved[1])


@pytest.mark.parametrize(("level", "shown"), [("INFO", False), ("debug", True)])
def test_scheduler_routine_is_debug_not_info(root_logging, capsys, level, shown):
    configure_logging(level.upper() if level == "INFO" else "DEBUG")
    # what APScheduler logs for each run of the scheduler's 30-second sync job
    logging.getLogger("apscheduler.executors.default").info(
        'Running job "Scheduler._sync_quietly (trigger: interval[0:00:30])"')
    logging.getLogger("apscheduler.executors.default").warning("Run time of job was missed")
    logging.getLogger("jarvis.runtime").info("a run started")
    err = capsys.readouterr().err
    assert ("Running job" in err) is shown
    assert "Run time of job was missed" in err and "a run started" in err
    if shown:
        assert "DEBUG apscheduler.executors.default: Running job" in err


def test_warning_level_silences_info(root_logging, capsys):
    configure_logging("WARNING", "json")
    logging.getLogger("jarvis.access").info("GET /health 200")
    logging.getLogger("jarvis.db").warning("slow")
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["slow"]


async def test_serve_writes_json_lines_and_stops_cleanly_on_sigterm(tmp_path, database):
    async with serving(tmp_path / "data", database, "--log-level", "info",
                       JARVIS_LOG_FORMAT="json") as child:
        line = (await asyncio.wait_for(child.stdout.readline(), 120)).decode()
        assert line.startswith("Jarvis is listening on http://127.0.0.1:"), line
        url = line.split()[-1]
        reader, writer = await asyncio.open_connection(*url.removeprefix("http://").split(":"))
        writer.write(b"GET /health?probe=abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert (await reader.read()).startswith(b"HTTP/1.1 200")
        writer.close()
        child.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 0, err.decode()
    entries = [json.loads(line) for line in err.decode().splitlines()]
    access = [e for e in entries if e["logger"] == "jarvis.access"]
    assert [(e["method"], e["path"], e["status"]) for e in access] == [("GET", "/health", 200)]
    assert "abc" not in err.decode()
