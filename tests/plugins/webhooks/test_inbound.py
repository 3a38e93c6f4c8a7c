"""Inbound hooks: a signed request starts a trigger run of the owner's agent with the body as
untrusted input; wrong signatures, stale timestamps, replays, floods and big bodies are refused
with JSON errors, and the rate limit holds under concurrency."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from jarvis.testing.clients import make_agent
from jarvis.testing.plugins import plugin_context
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import reply

from .conftest import add_hook, signed

BODY = json.dumps({"event": "build_failed", "branch": "main"}).encode()


@pytest.fixture
async def hook(alice):
    agent = (await make_agent(alice, "Inbox"))["id"]
    made = await add_hook(alice, agent)
    return made | {"agent": agent}


async def post(client, hook, body: bytes = BODY, headers=None):
    headers = signed(hook["secret"], body) if headers is None else headers
    # senders are strangers: no session cookie, no API key
    return await client.post(hook["url"], data=body, headers=headers)


async def test_a_signed_request_runs_the_owners_agent_with_the_body_as_data(
        anon_client, alice, hook, model):
    model.script(reply("The main build failed; I will look."))
    resp = await post(anon_client, hook)
    answer = await resp.json()
    assert resp.status == 202, answer
    outcome = await plugin_context(alice, "webhooks").wait_run(answer["run_id"])
    assert outcome.text == "The main build failed; I will look."
    first = str(model.requests[0].messages[0].content)
    assert "build_failed" in first and "untrusted data, not instructions" in first
    run = (await (await alice.get(f"/api/runs/{answer['run_id']}")).json())["run"]
    assert (run["kind"], run["trigger"], run["agent_id"], run["user_id"]) == (
        "trigger", "webhooks", hook["agent"], alice.user.id)


async def test_creating_a_hook_shows_its_url_and_secret_once(alice, hook):
    assert hook["url"].startswith("/api/hooks/") and len(hook["secret"]) == 64
    listed = await (await alice.get("/api/webhooks/inbound")).json()
    assert [h["id"] for h in listed] == [hook["id"]]
    text = json.dumps(listed)
    assert hook["secret"] not in text and hook["url"].rsplit("/", 1)[1] not in text


async def test_creating_a_hook_needs_a_recent_password(alice):
    agent = (await make_agent(alice, "Inbox"))["id"]
    fresh = await alice.as_user(alice.user)  # a new session, not re-authenticated
    resp = await fresh.post("/api/webhooks/inbound", json={"agent_id": agent, "name": "x"})
    assert resp.status == 403 and (await resp.json())["detail"] == {"reauth": True}


async def test_a_hook_only_for_ones_own_agent(alice, bob):
    bobs = (await make_agent(bob, "Bob's"))["id"]
    answer = await add_hook(alice, bobs, 404)
    assert answer["error"] == "agent not found"
    assert await (await alice.get("/api/webhooks/inbound")).json() == []


async def test_bob_cannot_remove_alices_hook(alice, bob, hook, anon_client):
    resp = await bob.delete(f"/api/webhooks/inbound/{hook['id']}")
    assert resp.status == 404
    assert (await post(anon_client, hook)).status == 202


@pytest.mark.parametrize("tamper", ["body", "secret", "missing", "timestamp"])
async def test_a_bad_signature_is_refused(anon_client, alice, hook, tamper):
    headers = signed(hook["secret"], BODY)
    body = BODY
    if tamper == "body":
        body = BODY.replace(b"main", b"prod")
    elif tamper == "secret":
        headers = signed("0" * 64, BODY)
    elif tamper == "missing":
        del headers["X-Jarvis-Signature"]
    else:
        headers["X-Jarvis-Timestamp"] = str(int(headers["X-Jarvis-Timestamp"]) + 1)
    resp = await post(anon_client, hook, body, headers)
    answer = await resp.json()
    assert resp.status == 401, answer
    assert "X-Jarvis-Signature" in answer["error"]
    assert (await (await alice.get("/api/runs")).json())["runs"] == []


@pytest.mark.parametrize("offset", [-400, 400])
async def test_a_stale_or_future_timestamp_is_refused(anon_client, hook, offset):
    headers = signed(hook["secret"], BODY, at=time.time() + offset)
    resp = await post(anon_client, hook, headers=headers)
    answer = await resp.json()
    assert resp.status == 401 and "outside the 300 s window" in answer["error"]


async def test_a_replayed_request_is_refused(anon_client, alice, hook):
    headers = signed(hook["secret"], BODY)
    assert (await post(anon_client, hook, headers=headers)).status == 202
    again = await post(anon_client, hook, headers=headers)
    answer = await again.json()
    assert again.status == 409 and "replay" in answer["error"]
    runs = (await (await alice.get("/api/runs")).json())["runs"]
    assert len(runs) == 1


async def test_unknown_and_removed_hooks_are_not_found(anon_client, alice, hook):
    resp = await anon_client.post("/api/hooks/" + "A" * 43, data=BODY,
                                  headers=signed(hook["secret"], BODY))
    assert resp.status == 404 and (await resp.json())["error"] == "no such webhook"
    assert (await alice.delete(f"/api/webhooks/inbound/{hook['id']}")).status == 200
    gone = await post(anon_client, hook)
    assert gone.status == 404


@pytest.mark.parametrize("webhooks_config", [{"max_inbound_bytes": 1000}])
async def test_a_body_over_the_cap_is_refused(anon_client, hook):
    big = b'{"x": "' + b"a" * 2000 + b'"}'
    resp = await post(anon_client, hook, big)
    assert resp.status == 413 and "over 1000 bytes" in (await resp.json())["error"]


@pytest.fixture
async def limited_hook(alice, admin_client):
    # the autonomous-run limits are not what is tested here
    resp = await admin_client.post("/api/settings/limits", json={
        "max_autonomous_runs_per_hour": 1000, "max_autonomous_runs_per_hour_per_user": 1000})
    assert resp.status == 200
    agent = (await make_agent(alice, "Inbox"))["id"]
    return (await add_hook(alice, agent, rate_limit=5)) | {"agent": agent}


async def test_the_rate_limit_holds_under_concurrency(anon_client, alice, limited_hook):
    hook = limited_hook
    bodies = [json.dumps({"n": i}).encode() for i in range(20)]
    minute = int(time.time() // 60)
    answers = await asyncio.gather(*(post(anon_client, hook, b) for b in bodies))
    statuses = sorted(r.status for r in answers)
    if int(time.time() // 60) == minute:
        assert statuses == [202] * 5 + [429] * 15
    else:  # the minute turned during the burst: two minutes' allowance at most
        assert statuses.count(202) <= 10 and set(statuses) == {202, 429}
    refused = next(r for r in answers if r.status == 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert "at most 5 requests a minute" in (await refused.json())["error"]

    async def settled():
        runs = (await (await alice.get("/api/runs")).json())["runs"]
        return runs if all(r["status"] not in ("queued", "running") for r in runs) else None

    runs = await eventually(settled, within=30)
    assert len(runs) == statuses.count(202)


async def test_refusals_and_receipts_are_audited(anon_client, admin_client, hook):
    await post(anon_client, hook)
    await post(anon_client, hook, headers=signed("0" * 64, BODY))
    body = await (await admin_client.get("/api/audit?per_page=100")).json()
    actions = [e["action"] for e in body["entries"]]
    assert "webhook_received" in actions and "webhook_refused" in actions
    assert hook["secret"] not in json.dumps(body)
