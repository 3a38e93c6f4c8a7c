"""/health checks the database, /ready follows start-up, /metrics speaks Prometheus to the
holder of the metrics token only."""

from __future__ import annotations

import pytest
from jarvis.keys import DATABASE
from jarvis.routes.system import DB_PROBE
from jarvis.services import health as health_module
from jarvis.testing.clients import running
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.script import reply
from jarvis.testing.scripted import ScriptedProvider
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import create_async_engine

TOKEN = "a-metrics-token-of-some-length"


def broken_engine(db):
    """An engine of the same kind whose database cannot be reached."""
    if db.is_sqlite:
        return create_async_engine("sqlite+aiosqlite:////nonexistent/folder/jarvis.db")
    return create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")


async def test_health_answers_503_json_when_the_database_is_down(make_client, monkeypatch):
    client = await make_client()
    resp = await client.get("/health")
    assert resp.status == 200 and await resp.json() == {"status": "ok"}
    db = client.app[DATABASE]
    good = db.engine
    db.engine = broken_engine(db)
    monkeypatch.setattr(health_module, "CHECK_EVERY", 0.0)
    client.app[DB_PROBE]._until = 0.0  # forget the answer of a moment ago
    try:
        resp = await client.get("/health")
        body = await resp.json()
        assert resp.status == 503
        assert body["error"] == "database unavailable" and body["detail"]
        assert (await client.get("/ready")).status == 503
    finally:
        await db.engine.dispose()
        db.engine = good
    assert (await client.get("/health")).status == 200


async def test_health_checks_the_database_at_most_once_a_second(make_client, monkeypatch):
    client = await make_client()
    probe = client.app[DB_PROBE]
    calls = []
    real = probe._check

    async def counted():
        calls.append(1)
        return await real()

    monkeypatch.setattr(probe, "_check", counted)
    for _ in range(20):
        assert (await client.get("/health")).status == 200
    assert len(calls) <= 1


async def test_ready_follows_start_up_and_shut_down(make_app):
    app = make_app()
    async with running(app) as client:
        resp = await client.get("/ready")
        assert resp.status == 200 and await resp.json() == {"status": "ready"}
        await app.shutdown()  # what a SIGTERM starts: new work is refused from here
        resp = await client.get("/ready")
        assert resp.status == 503 and (await resp.json())["error"] == "not ready"


@pytest.fixture
def jarvis_settings():
    return {"metrics_token": TOKEN, "disable_plugins": BUILTIN_PROVIDERS}


@pytest.fixture
def scripted():
    return ScriptedProvider(id="fake", models=("echo",))


@pytest.fixture
def jarvis_plugins(scripted):
    return [ModelPlugin(scripted)]


async def test_metrics_need_the_token(anon_client, admin_client):
    assert (await anon_client.get("/metrics")).status == 401
    wrong = await anon_client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401
    assert (await admin_client.get("/metrics")).status == 401  # an admin session is not it


async def test_metrics_are_off_without_a_token(make_client):
    client = await make_client()
    resp = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status == 403 and (await resp.json())["error"] == "metrics are off"


async def test_metrics_parse_with_prometheus_client(user_client, anon_client, scripted):
    agent = await (await user_client.post("/api/agents", json={
        "name": "A", "prompt": "Hi", "model": "fake:echo"})).json()
    scripted.script(reply("Done."))
    resp = await user_client.post(f"/api/agents/{agent['id']}/run", json={})
    assert resp.status in (200, 201, 202)
    await scripted.wait_for(1)
    for _ in range(3):
        await anon_client.get("/health")
    await anon_client.get("/api/no-such-route")
    resp = await anon_client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    families = {f.name: f for f in text_string_to_metric_families(await resp.text())}
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in families.values() for s in f.samples}
    assert samples[("jarvis_http_requests_total",
                    (("method", "GET"), ("route", "/health"), ("status", "200")))] >= 3
    assert samples[("jarvis_http_requests_total",
                    (("method", "GET"), ("route", "unmatched"), ("status", "404")))] == 1
    assert not any("no-such-route" in str(k) for k in samples)
    runs = {dict(k[1])["status"]: v for k, v in samples.items() if k[0] == "jarvis_runs"}
    assert sum(runs.values()) == 1
    assert {"jarvis_queue_running", "jarvis_queue_waiting", "jarvis_queue_limit",
            "jarvis_tool_calls", "jarvis_trigger_state"} <= set(families)
    assert families["jarvis_queue_limit"].samples[0].value >= 1
