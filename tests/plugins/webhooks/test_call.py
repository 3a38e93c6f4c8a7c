"""webhook_call: only configured targets, through the guarded client, values escaped into the
template, redirects not followed, audited; confirm targets ask, admin targets stay admins'."""

from __future__ import annotations

from jarvis import GuardedHttp
from jarvis.testing.chat import of_type, open_chat
from jarvis.testing.plugins import agent_run, plugin_context, run_tool, tool_context
from jarvis.testing.scripted import reply, tool_use

from .conftest import add_target

TEMPLATE = '{"text": "{{message}}", "channel": "ops"}'


async def sent_audit(admin) -> list[dict]:
    body = await (await admin.get("/api/audit?per_page=200")).json()
    return [e for e in body["entries"] if e["action"] == "webhook_sent"]


async def test_a_call_reaches_the_target_with_its_headers_and_filled_body(
        admin_client, user_client, receiver, model):
    await add_target(admin_client, name="ops", url=receiver.url(),
                     headers={"Authorization": "Bearer abc"}, body_template=TEMPLATE)
    model.script(tool_use("webhook_call", {"target": "ops", "values": {"message": "deployed"}}),
                 reply("Told ops."))
    outcome = await plugin_context(user_client, "webhooks").run(agent_run(user_client.user))
    assert outcome.status == "done"
    [got] = receiver.got
    assert (got.method, got.path) == ("POST", "/hook")
    assert got.headers["Authorization"] == "Bearer abc"
    assert got.headers["Content-Type"] == "application/json"
    assert got.json() == {"text": "deployed", "channel": "ops"}
    [result] = model.tool_results()
    assert "ops answered HTTP 200" in result.content and "thanks" in result.content
    assert "<<untrusted-data boundary=" in result.content
    [entry] = await sent_audit(admin_client)
    assert entry["detail"]["status"] == 200 and entry["detail"]["target"] == "ops"
    assert "Bearer abc" not in str(entry)


async def test_values_cannot_change_the_bodys_structure(admin_client, user_client, receiver):
    await add_target(admin_client, name="ops", url=receiver.url(), body_template=TEMPLATE)
    evil = 'x", "channel": "everyone", "admin": true, "y": "{{message}}'
    result = await run_tool(user_client, "webhook_call", target="ops", values={"message": evil})
    assert result.ok, result.error
    assert receiver.got[0].json() == {"text": evil, "channel": "ops"}


async def test_form_bodies_are_url_encoded(admin_client, user_client, receiver):
    await add_target(admin_client, name="form", url=receiver.url(),
                     content_type="application/x-www-form-urlencoded",
                     body_template="text={{message}}&channel=ops")
    result = await run_tool(user_client, "webhook_call", target="form",
                            values={"message": "a&channel=all b"})
    assert result.ok
    assert receiver.got[0].body == b"text=a%26channel%3Dall+b&channel=ops"


async def test_missing_or_unknown_values_are_refused_before_sending(admin_client, user_client,
                                                                   receiver):
    await add_target(admin_client, name="ops", url=receiver.url(), body_template=TEMPLATE)
    missing = await run_tool(user_client, "webhook_call", target="ops", values={})
    assert not missing.ok and "missing message" in missing.error
    extra = await run_tool(user_client, "webhook_call", target="ops",
                           values={"message": "m", "url": "http://elsewhere"})
    assert not extra.ok and "takes no url" in extra.error
    assert receiver.got == []


async def test_an_unconfigured_target_is_refused_by_policy(admin_client, user_client, receiver,
                                                          model):
    model.script(tool_use("webhook_call", {"target": receiver.url(), "values": {}}),
                 tool_use("webhook_call", {"target": "nosuch", "values": {}}),
                 reply("Could not."))
    outcome = await plugin_context(user_client, "webhooks").run(
        agent_run(user_client.user, allowed_tools=["webhooks"]))
    assert outcome.status == "done"
    results = [m.content[0] for m in model.requests[-1].messages if m.role == "user"][1:]
    assert all(r.is_error and "refused" in r.content for r in results)
    assert "no webhook target named 'nosuch' is set up" in results[1].content
    assert receiver.got == []


async def test_an_admin_only_target_is_refused_for_users(admin_client, user_client, receiver,
                                                        model):
    await add_target(admin_client, name="deploy", url=receiver.url(), admin_only=True)
    model.script(tool_use("webhook_call", {"target": "deploy"}), reply("Could not."))
    await plugin_context(user_client, "webhooks").run(agent_run(user_client.user))
    [result] = model.tool_results()
    assert result.is_error and "for admins only" in result.content
    assert receiver.got == []
    model.script(tool_use("webhook_call", {"target": "deploy"}), reply("Deployed."))
    await plugin_context(admin_client, "webhooks").run(agent_run(admin_client.user))
    assert len(receiver.got) == 1


async def test_a_confirm_target_asks_in_chat_and_is_refused_headless(admin_client, user_client,
                                                                    receiver, model):
    await add_target(admin_client, name="page", url=receiver.url(), confirm=True)
    model.script(tool_use("webhook_call", {"target": "page"}), reply("Not paged."))
    await plugin_context(user_client, "webhooks").run(agent_run(user_client.user))
    assert receiver.got == [] and model.tool_results()[0].is_error
    model.script(tool_use("webhook_call", {"target": "page"}), reply("Paged."))
    chat = await open_chat(user_client)
    await chat.send(type="message", content="page them")
    ask = (await chat.until("confirmation_required"))[-1]
    assert "page" in ask["description"] and receiver.got == []
    await chat.send(type="confirm", call_id=ask["call_id"], approved=True)
    frames = await chat.until("done")
    assert of_type(frames, "tool_done")[0]["success"] is True
    assert len(receiver.got) == 1


async def test_a_redirect_is_an_answer_never_followed(admin_client, user_client, receiver):
    await add_target(admin_client, name="moved", url=receiver.url("/redirect"))
    result = await run_tool(user_client, "webhook_call", target="moved")
    assert not result.ok and "moved answered HTTP 302" in result.error
    assert [g.path for g in receiver.got] == ["/redirect"]


async def test_a_failing_target_is_a_clear_error_and_audited(admin_client, user_client,
                                                            receiver):
    await add_target(admin_client, name="broken", url=receiver.url("/fail"))
    result = await run_tool(user_client, "webhook_call", target="broken")
    assert not result.ok and "broken answered HTTP 500" in result.error
    [entry] = await sent_audit(admin_client)
    assert entry["success"] is False and entry["detail"]["status"] == 500


async def test_the_answer_is_capped(admin_client, user_client, receiver):
    await add_target(admin_client, name="big", url=receiver.url("/big"))
    result = await run_tool(user_client, "webhook_call", target="big")
    assert result.ok and "[answer cut at 64000 bytes]" in result.content
    assert len(result.content) < 65_000


async def test_calls_go_through_the_guarded_client(admin_client, user_client, receiver):
    await add_target(admin_client, name="ops", url=receiver.url())
    # the production client: loopback is refused at connect time
    ctx = tool_context(user_client, user_client.user, plugin="webhooks", http=GuardedHttp())
    result = await run_tool(user_client, "webhook_call", ctx=ctx, target="ops")
    assert not result.ok and "not sent to ops" in result.error
    assert receiver.got == []
    [entry] = await sent_audit(admin_client)
    assert entry["success"] is False
