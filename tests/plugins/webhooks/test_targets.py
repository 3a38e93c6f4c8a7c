"""The admin's targets: created (201), listed and changed without ever showing header values,
refused with JSON errors naming the field, audited."""

from __future__ import annotations

import pytest
from jarvis.testing.plugins import plugin_context
from jarvis_webhooks.targets import headers_key

from .conftest import add_target

SECRET = "Bearer s3cret-token-value-123"


async def test_a_target_is_created_and_its_headers_never_shown(admin_client, receiver):
    made = await add_target(admin_client, name="ops", url=receiver.url(),
                            headers={"Authorization": SECRET, "X-Team": "ops"},
                            body_template='{"text": "{{message}}", "to": "{{channel}}"}')
    assert made["fields"] == ["message", "channel"]
    assert made["header_names"] == ["Authorization", "X-Team"]
    shown = [made, *await (await admin_client.get("/api/webhooks/targets")).json(),
             await (await admin_client.get(f"/api/webhooks/targets/{made['id']}")).json()]
    changed = await admin_client.put(f"/api/webhooks/targets/{made['id']}",
                                     json={"description": "the ops room"})
    shown.append(await changed.json())
    for body in shown:
        assert SECRET not in str(body) and "headers" not in body
    audit = await (await admin_client.get("/api/audit?per_page=50")).json()
    created = [e for e in audit["entries"] if e["action"] == "webhook_target_created"]
    assert created and SECRET not in str(audit)


async def test_headers_can_be_replaced_and_cleared(admin_client, receiver):
    made = await add_target(admin_client, name="ops", url=receiver.url(),
                            headers={"Authorization": SECRET})
    path = f"/api/webhooks/targets/{made['id']}"
    body = await (await admin_client.put(path, json={"headers": {"X-Key": "k1"}})).json()
    assert body["header_names"] == ["X-Key"]
    body = await (await admin_client.put(path, json={"headers": {}})).json()
    assert body["header_names"] == []


@pytest.mark.parametrize(("fields", "error"), [
    ({"name": "Bad Name"}, "name:"),
    ({"url": "ftp://example.org/x"}, "url:"),
    ({"url": "http://127.0.0.1:1/x"}, "url: refused by the outbound guard"),
    ({"url": "http://169.254.169.254/latest"}, "url: refused by the outbound guard"),
    ({"method": "TRACE"}, "method:"),
    ({"body_template": "{{ message.__class__ }}"}, "body_template:"),
    ({"body_template": "{% for x in y %}"}, "body_template:"),
    ({"body_template": '{"text": {{message}}}'}, "body_template: not JSON"),
    ({"method": "GET", "body_template": "x={{a}}", "content_type": "text/plain"},
     "body_template: a GET request has no body"),
    ({"headers": {"Host": "evil.example"}}, "headers"),
    ({"headers": {"X-A": "one\r\nX-B: two"}}, "headers"),
])
async def test_bad_targets_are_refused_with_the_field_named(admin_client, receiver, fields,
                                                             error):
    body = {"name": "ops", "url": receiver.url(), **fields}
    resp = await admin_client.post("/api/webhooks/targets", json=body)
    answer = await resp.json()
    assert resp.status == 400, answer
    assert answer["error"].startswith(error) or error in answer["error"], answer
    assert await (await admin_client.get("/api/webhooks/targets")).json() == []


async def test_a_second_target_of_the_same_name_is_a_conflict(admin_client, receiver):
    await add_target(admin_client, name="ops", url=receiver.url(), headers={"X-K": "v"})
    answer = await add_target(admin_client, 409, name="ops", url=receiver.url("/other"))
    assert "already a webhook target named ops" in answer["error"]
    [only] = await (await admin_client.get("/api/webhooks/targets")).json()
    assert only["url"] == receiver.url()


async def test_a_change_that_breaks_the_target_changes_nothing(admin_client, receiver):
    made = await add_target(admin_client, name="ops", url=receiver.url(),
                            body_template='{"t": "{{a}}"}')
    path = f"/api/webhooks/targets/{made['id']}"
    resp = await admin_client.put(path, json={"method": "GET"})
    assert resp.status == 400
    assert (await (await admin_client.get(path)).json())["method"] == "POST"


async def test_users_cannot_see_or_manage_targets(user_client, admin_client, receiver):
    made = await add_target(admin_client, name="ops", url=receiver.url())
    for method, path in (("GET", "/api/webhooks/targets"),
                         ("POST", "/api/webhooks/targets"),
                         ("GET", f"/api/webhooks/targets/{made['id']}"),
                         ("DELETE", f"/api/webhooks/targets/{made['id']}")):
        resp = await user_client.request(method, path, json={} if method == "POST" else None)
        assert resp.status == 403, (method, path)
        assert "error" in await resp.json()


async def test_a_removed_target_is_gone_with_its_headers(admin_client, receiver):
    made = await add_target(admin_client, name="ops", url=receiver.url(),
                            headers={"Authorization": SECRET})
    resp = await admin_client.delete(f"/api/webhooks/targets/{made['id']}")
    assert resp.status == 200
    assert (await admin_client.get(f"/api/webhooks/targets/{made['id']}")).status == 404
    vault = plugin_context(admin_client, "webhooks").vault
    assert await vault.get(headers_key(made["id"])) is None


async def test_the_panel_shows_targets_to_admins_and_hooks_to_everyone(admin_client,
                                                                       user_client):
    def titles(panels):
        panel = next(p for p in panels if p["id"] == "webhooks")
        return [s["title"] for s in panel["sections"]]

    admin = await (await admin_client.get("/api/ui/panels")).json()
    user = await (await user_client.get("/api/ui/panels")).json()
    assert titles(admin) == ["Webhook targets", "My inbound webhooks"]
    assert titles(user) == ["My inbound webhooks"]
