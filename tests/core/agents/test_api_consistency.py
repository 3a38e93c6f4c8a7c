"""Small rules every route keeps: JSON bodies only, created objects answer 201, strict cron
fields and strict audit filters."""

from __future__ import annotations

import json

import pytest

from .conftest import make_agent, make_task

AGENT = {"name": "Daily", "prompt": "Sum up.", "model": "fake:echo"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
async def test_a_body_that_is_not_json_typed_is_415(user_client, app, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    resp = await user_client.post("/api/agents", data=json.dumps(AGENT).encode(),
                                  headers=headers, skip_auto_headers=["Content-Type"])
    body = await resp.json()
    assert resp.status == 415, body
    assert body["error"] == "the request body must be JSON, sent as Content-Type: application/json"
    assert (content_type or "no Content-Type") in body["detail"]
    assert await (await user_client.get("/api/agents")).json() == []  # nothing was made


async def test_json_with_a_charset_is_fine_and_an_empty_body_needs_no_type(user_client):
    resp = await user_client.post("/api/agents", data=json.dumps(AGENT).encode(),
                                  headers={"Content-Type": "application/json; charset=utf-8"})
    assert resp.status == 201
    agent = await resp.json()
    # a route whose body is optional takes no body at all, with or without a type
    resp = await user_client.post(f"/api/agents/{agent['id']}/stop",
                                  skip_auto_headers=["Content-Type"])
    assert resp.status == 200


@pytest.mark.parametrize("schedule", ["٠ ٨ * * *", "0 ８ * * *", "0 8 * * ١", "0\u30008 * * *"])
async def test_cron_fields_take_ascii_digits_only(user_client, schedule):
    for path, make in (("/api/agents", AGENT),
                       ("/api/tasks", {"name": "t", "prompt": "p"})):
        resp = await user_client.post(path, json={**make, "schedule": schedule})
        body = await resp.json()
        assert resp.status == 400, (path, body)
        assert body["error"].startswith("schedule: a cron schedule is written in ASCII")
    agent = await make_agent(user_client)
    resp = await user_client.put(f"/api/agents/{agent['id']}", json={"schedule": schedule})
    assert resp.status == 400
    task = await make_task(user_client)
    resp = await user_client.put(f"/api/tasks/{task['id']}", json={"schedule": schedule})
    assert resp.status == 400
    assert (await (await user_client.get(f"/api/tasks/{task['id']}")).json())["schedule"] != \
        schedule


async def test_unknown_audit_query_parameters_are_400(user_client, admin_client):
    resp = await user_client.get("/api/audit", params={"tool": "email_send"})  # tool_name meant
    body = await resp.json()
    assert resp.status == 400
    assert body["error"].startswith("query parameter tool:")
    assert (await user_client.get("/api/audit", params={"tool_name": "x"})).status == 200
    resp = await admin_client.delete("/api/audit", params={"older_than_days": 90, "all": "1"})
    assert resp.status == 400


async def test_every_creating_post_answers_201(admin_client):
    resp = await admin_client.post("/api/admin/users",
                                   json={"username": "carol", "password": "carol's passphrase"})
    assert resp.status == 201 and set(await resp.json()) == {"id"}
