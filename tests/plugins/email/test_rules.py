"""Trigger rules: mail to a trigger account runs the agent of the rule it matches; rules are
their owner's, name only the owner's accounts and agents, and every change is audited. A handling
account limits its agent's email tools to that one account."""

from jarvis.testing.scripted import last_user_text, reply, tool_use

from .helpers import account_body, letter, listening, make_account, make_agent, ok

REFERENCE_BODY = {
    "label": "Work", "account_type": "trigger",
    "imap_host": "mail.example.com", "imap_port": 993,
    "imap_username": "user@example.com", "imap_password": "...",
    "smtp_host": "mail.example.com", "smtp_port": 465,
    "smtp_username": "user@example.com", "smtp_password": "...",
}


async def make_rule(client, **body):
    return await ok(await client.post("/api/email-rules", json={"enabled": True, **body}), 201)


async def test_the_reference_body_makes_a_trigger_account(user_client):
    created = await make_account(user_client, **REFERENCE_BODY, enabled=False)
    assert (created["account_type"], created["agent_id"]) == ("trigger", None)
    assert created["imap_password_set"] and created["smtp_password_set"]
    resp = await user_client.post("/api/email-accounts", json=REFERENCE_BODY)
    assert resp.status == 201, await resp.json()


async def test_rules_are_made_listed_changed_and_deleted(user_client):
    account = await make_account(user_client, **account_body(account_type="trigger",
                                                              enabled=False))
    first, second = await make_agent(user_client), await make_agent(user_client, name="Second")
    rule = await make_rule(user_client, account_id=account["id"], agent_id=first,
                           trigger_phrase="  weekly   report ")
    assert rule["trigger_phrase"] == "weekly report" and rule["enabled"] is True
    assert await ok(await user_client.get("/api/email-rules")) == [rule]
    path = f"/api/email-rules/{rule['id']}"
    assert await ok(await user_client.get(path)) == rule
    changed = await ok(await user_client.put(path, json={"agent_id": second, "enabled": False}))
    assert (changed["agent_id"], changed["enabled"], changed["trigger_phrase"]) == (
        second, False, "weekly report")
    assert await ok(await user_client.delete(path)) == {"ok": True}
    assert (await user_client.get(path)).status == 404
    entries = (await ok(await user_client.get("/api/audit", params={"per_page": 200})))["entries"]
    actions = [e["action"] for e in entries if e["action"].startswith("email_rule")]
    assert actions == ["email_rule_deleted", "email_rule_changed", "email_rule_created"]


async def test_a_rule_names_only_its_owners_trigger_accounts_and_agents(user_client, client_as):
    mallory = await client_as("user", username="mallory")
    theirs_account = await make_account(mallory, **account_body(account_type="trigger",
                                                                enabled=False))
    theirs_agent = await make_agent(mallory)
    mine_account = await make_account(user_client, **account_body(account_type="trigger",
                                                                  enabled=False))
    handling = await make_account(user_client, **account_body(label="Home"))
    mine_agent = await make_agent(user_client)
    for body, field in [
        ({"account_id": theirs_account["id"], "agent_id": mine_agent}, "account_id"),
        ({"account_id": mine_account["id"], "agent_id": theirs_agent}, "agent_id"),
        ({"account_id": handling["id"], "agent_id": mine_agent}, "account_id"),
    ]:
        resp = await user_client.post("/api/email-rules", json={**body, "trigger_phrase": "x"})
        assert resp.status == 400, body
        assert (await resp.json())["error"].startswith(field + ":")
    resp = await user_client.post("/api/email-rules", json={
        "account_id": mine_account["id"], "agent_id": mine_agent, "trigger_phrase": "?!"})
    assert resp.status == 400 and (await resp.json())["error"].startswith("trigger_phrase")

    # another user's rule is not there for this one: not to read, change or delete
    theirs = await make_rule(mallory, account_id=theirs_account["id"], agent_id=theirs_agent,
                             trigger_phrase="invoice")
    path = f"/api/email-rules/{theirs['id']}"
    assert await ok(await user_client.get("/api/email-rules")) == []
    assert (await user_client.get(path)).status == 404
    resp = await user_client.put(path, json={"agent_id": mine_agent})
    assert resp.status == 404
    assert (await user_client.delete(path)).status == 404
    assert await ok(await mallory.get(path)) == theirs
    # nor may a rule of one's own be pointed at another user's agent
    mine = await make_rule(user_client, account_id=mine_account["id"], agent_id=mine_agent,
                           trigger_phrase="invoice")
    resp = await user_client.put(f"/api/email-rules/{mine['id']}",
                                 json={"agent_id": theirs_agent})
    assert resp.status == 400
    assert (await ok(await user_client.get(f"/api/email-rules/{mine['id']}")))["agent_id"] == \
        mine_agent


async def test_deleting_the_account_deletes_its_rules(user_client):
    account = await make_account(user_client, **account_body(account_type="trigger",
                                                              enabled=False))
    await make_rule(user_client, account_id=account["id"], agent_id=await make_agent(user_client),
                    trigger_phrase="invoice")
    await ok(await user_client.delete(f"/api/email-accounts/{account['id']}"))
    assert await ok(await user_client.get("/api/email-rules")) == []


async def test_a_rule_routes_delivered_mail_to_its_agent(user_client, imap, mailbox, model):
    user, _ = mailbox
    invoices = await make_agent(user_client, name="Invoices", prompt="You file invoices.")
    reports = await make_agent(user_client, name="Reports", prompt="You read reports.")
    account = await make_account(user_client, **account_body(imap, mailbox,
                                                             account_type="trigger"))
    assert account["agent_id"] is None
    await make_rule(user_client, account_id=account["id"], agent_id=invoices,
                    trigger_phrase="invoice")
    await make_rule(user_client, account_id=account["id"], agent_id=reports,
                    trigger_phrase="weekly report")
    await listening(user_client, account["id"])
    model.script(reply("Filed."), reply("Read."), reply("Filed again."))

    await imap.deliver(user, letter("Lunch?", "No words of any rule in here.\n"))
    await imap.deliver(user, letter("REPORT", "The weekly one, with an invoice attached.\n"))
    await model.wait_for(1, 10)
    await imap.deliver(user, letter("Your Invoice", "Please pay.\n"))
    await model.wait_for(2, 10)
    assert len(model.requests) == 2
    # the rule with the most matching words wins: both rules match the first mail
    assert "You read reports." in model.requests[0].system
    assert "The weekly one" in last_user_text(model.requests[0])
    assert "You file invoices." in model.requests[1].system
    assert "Please pay." in last_user_text(model.requests[1])


async def test_a_handling_accounts_agent_mails_through_that_account_only(
        user_client, imap, mailbox, model):
    other_box = imap.fresh_user()
    agent = await make_agent(user_client, allowed_tools=["email_list"])
    await make_account(user_client, **account_body(imap, other_box, label="Private"))
    await make_account(user_client, **account_body(imap, mailbox, label="Desk", agent_id=agent))
    model.script(tool_use("email_list", {}), reply("Listed."),
                 tool_use("email_list", {"account": "Private"}), reply("Refused."))
    for _ in range(2):
        await ok(await user_client.post(f"/api/agents/{agent}/run", json={}))
        await model.wait_for(len(model.requests) + 2, 10)
    listed = model.requests[1].messages[-1].content[0]
    assert not listed.is_error and "Account 'Desk', folder INBOX" in listed.content
    refused = model.requests[3].messages[-1].content[0]
    assert refused.is_error
    assert "this run may use only the email account 'Desk'" in refused.content
