"""Every route that names an object, or answers with the caller's own things, called by one
user with the REAL objects of another: bob can neither read nor change anything of alice's.

Data-driven: a new route with a path parameter fails here until OBJECT_OF says which of the
owner's real objects goes into it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
from jarvis.keys import DATABASE
from jarvis.services import conversations
from jarvis.testing.clients import JarvisClient, api_key_for, start_client
from jarvis.testing.polling import eventually
from jarvis.web import Access, route_spec

TIMEOUT = aiohttp.ClientTimeout(total=20)
MARK = "alice-private-7f3a"  # in every name, label and note of alice's objects

# path template -> the kind of alice's object its parameter names
OBJECT_OF = {
    "/api/agents/{id}": "agent",
    "/api/agents/{id}/run": "agent",
    "/api/agents/{id}/stop": "agent",
    "/api/tasks/{id}": "task",
    "/api/tasks/{id}/run": "task",
    "/api/tasks/{id}/toggle": "task",
    "/api/conversations/{id}": "conversation",
    "/api/runs/{id}": "run",
    "/api/runs/{id}/stop": "run",
    "/api/email-accounts/{id}": "mail_account",
    "/api/my/api-keys/{id}": "api_key",
    "/api/telegram/triggers/{id}": "trigger",
    "/api/my/browser-trusted/{domain}": "trusted_domain",
    "/api/email-rules/{id}": "email_rule",
    "/api/mcp-servers/{id}": "mcp_server",
    "/api/mcp-servers/{id}/status": "mcp_server",
    "/api/webhooks/inbound/{id}": "webhook_hook",
    "/ws/{session_id}": "chat_session",
}

# bodies that would change the object if the route let bob at it
BODIES = {
    ("PUT", "/api/agents/{id}"): {"name": "taken over", "prompt": "obey bob"},
    ("POST", "/api/agents/{id}/run"): {"message": "run for bob"},
    ("PUT", "/api/tasks/{id}"): {"name": "taken over"},
    ("PATCH", "/api/conversations/{id}"): {"title": "taken over"},
    ("PUT", "/api/email-accounts/{id}"): {"label": "taken over"},
    ("PUT", "/api/telegram/triggers/{id}"): {"trigger_word": "takenover", "enabled": False},
    ("PUT", "/api/email-rules/{id}"): {"trigger_phrase": "taken over", "enabled": False},
    ("PUT", "/api/mcp-servers/{id}"): {"url": "https://bob.example.com/mcp", "enabled": True},
}

# what bob's own-scoped calls send (they must act on bob's things only)
QUERIES = {
    "/api/my/files": {"path": "/alice-notes.txt"},
    "/api/my/files/download": {"path": "/alice-notes.txt"},
}

# alice's view of her things, compared before and after bob's calls
SNAPSHOT = [
    "/api/agents/{agent}", "/api/tasks/{task}", "/api/conversations/{conversation}",
    "/api/runs/{run}", "/api/email-accounts/{mail_account}", "/api/my/api-keys",
    "/api/telegram/triggers", "/api/my/browser-trusted", "/api/my/caldav", "/api/my/pushover",
    "/api/my/contacts", "/api/my/files", "/api/email-rules", "/api/mcp-servers",
    "/api/webhooks/inbound",
]


async def ok(resp: aiohttp.ClientResponse, status: int = 200) -> Any:
    body = await resp.json()
    assert resp.status == status, body
    return body


async def alices_things(alice: JarvisClient) -> dict[str, str]:
    """One real object of every kind, owned by alice; their ids by kind."""
    agent = (await ok(await alice.post("/api/agents", json={
        "name": f"agent {MARK}", "prompt": f"prompt {MARK}", "model": "anthropic:claude-x",
        "allowed_tools": []}), 201))["id"]
    task = (await ok(await alice.post("/api/tasks", json={
        "name": f"task {MARK}", "schedule": "0 8 * * *", "prompt": f"task prompt {MARK}",
        "allowed_tools": [], "enabled": True}), 201))["id"]
    run = (await ok(await alice.post(f"/api/agents/{agent}/run",
                                     json={"message": f"run {MARK}"})))["run_id"]

    async def settled() -> bool:
        state = (await ok(await alice.get(f"/api/runs/{run}")))["run"]["status"]
        return state not in ("queued", "running")

    await eventually(settled, within=30)
    conversation = await conversations.create(
        alice.app[DATABASE], alice.user.id, f"hello {MARK}", session_id=f"chat-{MARK}")
    account = (await ok(await alice.post("/api/email-accounts", json={
        "label": f"mail {MARK}", "account_type": "handling", "imap_host": "imap.example.com",
        "imap_port": 993, "imap_tls": "ssl", "imap_username": MARK,
        "imap_password": f"pw-{MARK}", "from_address": "alice@example.com"}), 201))["id"]
    inbox = (await ok(await alice.post("/api/email-accounts", json={
        "label": f"inbox {MARK}", "account_type": "trigger", "imap_host": "imap.example.com",
        "imap_port": 993, "imap_tls": "ssl", "imap_username": f"in-{MARK}",
        "imap_password": f"pw-{MARK}"}), 201))["id"]
    rule = (await ok(await alice.post("/api/email-rules", json={
        "account_id": inbox, "trigger_phrase": "alice invoice", "agent_id": agent}), 201))["id"]
    server = (await ok(await alice.post("/api/mcp-servers", json={
        "name": "alice_notes", "transport": "http", "url": "https://mcp.example.com/mcp",
        "headers": {"Authorization": f"Bearer {MARK}"}, "enabled": False}), 201))["id"]
    await alice.reauth()  # a hook's URL and signing secret are shown once, after a re-login
    hook = await ok(await alice.post("/api/webhooks/inbound", json={
        "agent_id": agent, "name": f"hook {MARK}"}), 201)
    await api_key_for(alice.app, alice.user, name=f"key {MARK}")
    key_id = next(k["id"] for k in await ok(await alice.get("/api/my/api-keys")))
    trigger = (await ok(await alice.post("/api/telegram/triggers", json={
        "trigger_word": "alicemark", "agent_id": agent, "enabled": True}), 201))["id"]
    await ok(await alice.post("/api/my/browser-trusted",
                              json={"domain": "alice-private.example", "note": MARK}), 201)
    await ok(await alice.post("/api/my/caldav", json={
        "server_url": "https://cal.example.com/dav/", "username": MARK,
        "password": f"pw-{MARK}", "calendar": f"cal {MARK}"}))
    await ok(await alice.post("/api/my/pushover", json={"user_key": "u" + "a" * 29}))
    await ok(await alice.post("/api/my/contacts", json={
        "server_url": "https://dav.example.com/", "username": MARK, "password": f"pw-{MARK}",
        "addressbook": f"book {MARK}"}))
    form = aiohttp.FormData()
    form.add_field("file", f"notes {MARK}".encode(), filename="alice-notes.txt")
    await ok(await alice.post("/api/my/files", data=form), 201)
    return {"agent": agent, "task": task, "run": run, "conversation": conversation,
            "mail_account": account, "api_key": key_id, "trigger": trigger,
            "trusted_domain": "alice-private.example", "chat_session": f"chat-{MARK}",
            "email_rule": rule, "mcp_server": server, "webhook_hook": hook["id"],
            "webhook_secret": hook["secret"], "webhook_url": hook["url"]}


async def snapshot(alice: JarvisClient, ids: dict[str, str]) -> dict[str, Any]:
    out = {}
    for template in SNAPSHOT:
        path = template.format(**ids)
        out[path] = await ok(await alice.get(path))
    return out


def routes(app) -> list[tuple[str, str, Access]]:
    found = []
    for route in app.router.routes():
        spec = route_spec(route.handler)
        if spec is None or route.resource is None or route.method == "HEAD":
            continue
        found.append((route.method, route.resource.canonical, spec.access))
    return sorted(found, key=lambda r: (r[1] == "/api/auth/logout", r[1], r[0]))


async def chat_as(bob: JarvisClient, url: str, ids: dict[str, str]) -> tuple[int, bytes]:
    """Join the chat session of alice's session id (his own session of that name, per the
    protocol) and try to continue alice's conversation: every frame he gets is returned."""
    frames = []
    async with bob.ws_connect(url) as ws:
        frames += [await ws.receive_json(timeout=10) for _ in range(2)]  # hello, session
        await ws.send_json({"type": "message", "content": "go on",
                            "conversation_id": ids["conversation"]})
        while frames[-1]["type"] not in ("error", "done"):
            frames.append(await ws.receive_json(timeout=20))
    session = next(f for f in frames if f["type"] == "session")
    refused = frames[-1].get("error") == "conversation not found" and (
        session["conversation_id"] is None)
    return (404 if refused else 200), json.dumps(frames).encode()


async def call(bob: JarvisClient, method: str, path: str, ids: dict[str, str]):
    kind = OBJECT_OF.get(path)
    url = re.sub(r"\{[^}]+\}", ids[kind], path) if kind else path
    if path.startswith("/ws/"):
        return url, *await chat_as(bob, url, ids)
    body = BODIES.get((method, path), {} if method in ("POST", "PUT", "PATCH") else None)
    async with bob.request(method, url, json=body, params=QUERIES.get(path),
                           timeout=TIMEOUT, allow_redirects=False) as resp:
        return url, resp.status, await resp.read()


async def test_no_user_reaches_another_users_real_objects(all_plugins_app):
    anon = await start_client(all_plugins_app)
    try:
        alice = await anon.as_user("user", username="alice")
        bob = await anon.as_user("user", username="bob")
        ids = await alices_things(alice)
        before = await snapshot(alice, ids)
        secrets = {MARK, *ids.values(), "alice-private.example"}

        problems = []
        checked = 0
        for method, path, access in routes(all_plugins_app):
            if access in (Access.ANON, Access.ADMIN) or path == "/api/auth/logout":
                continue  # no owner; the access matrix covers these
            if "{" in path and path not in OBJECT_OF:
                problems.append(f"{method} {path}: no real object of another user in OBJECT_OF")
                continue
            url, status, raw = await call(bob, method, path, ids)
            checked += 1
            text = raw.decode("utf-8", "replace")
            if "{" in path and status not in (403, 404):
                problems.append(f"{method} {url} as bob: {status} (alice's object)")
            leaked = sorted(s for s in secrets if s in text and s not in url)  # not his own echo
            if leaked:
                problems.append(f"{method} {url} as bob shows alice's {leaked}")
            if status >= 500:
                problems.append(f"{method} {url} as bob: {status}")
        assert not problems, "\n".join(problems)
        assert checked >= len(OBJECT_OF) + 10
        after = await snapshot(alice, ids)
        changed = [p for p in SNAPSHOT
                   if json.dumps(before[p.format(**ids)], sort_keys=True)
                   != json.dumps(after[p.format(**ids)], sort_keys=True)]
        assert changed == [], changed
    finally:
        await anon.close()


def test_every_templated_route_of_the_table_exists(all_plugins_app):
    paths = {path for _m, path, _a in routes(all_plugins_app)}
    assert set(OBJECT_OF) <= paths, set(OBJECT_OF) - paths
