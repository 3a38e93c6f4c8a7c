"""Trigger accounts: new mail in the IMAP server starts the account's agent, and its answer goes
back to the sender by mail (when the sender is whitelisted)."""

import pytest
from jarvis.testing.plugins import audit_entries
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import call, last_user_text, reply

from .conftest import FAST
from .helpers import account_body, account_status, letter, listening, make_account, make_agent, ok
from .helpers import whitelist as add_to_whitelist


async def trigger_account(client, imap, mailbox, sink, agent_tools=None, **fields):
    agent = await make_agent(client, allowed_tools=agent_tools)
    fields = {"account_type": "trigger", "agent_id": agent, "reply": True, **fields}
    account = await make_account(client, **account_body(imap, mailbox, sink, **fields))
    await listening(client, account["id"])
    return account


async def test_new_mail_runs_the_agent_and_the_answer_is_mailed_back(
        admin_client, user_client, imap, mailbox, sink, model):
    await add_to_whitelist(admin_client, "boss@example.com")
    user, _ = mailbox
    await trigger_account(user_client, imap, mailbox, sink, agent_tools=["email_send"])
    model.script(reply("Sales rose 4% this week."))
    await imap.deliver(user, letter("Weekly report", "How did sales do?\n",
                                    message_id="<w1@example.com>"))

    [answer] = await sink.wait_for_messages(1, timeout=10)
    assert answer.rcpt_tos == ["boss@example.com"]
    assert answer.message["To"] == "boss@example.com"
    assert answer.message["From"] == "jarvis@example.com"
    assert answer.message["Subject"] == "Re: Weekly report"
    assert answer.message["In-Reply-To"] == "<w1@example.com>"
    assert answer.message["References"] == "<w1@example.com>"
    assert answer.message.get_content().strip() == "Sales rose 4% this week."

    # the mail reached the model as fenced, untrusted data
    seen = last_user_text(model.requests[0])
    assert "untrusted" in seen.lower() and "How did sales do?" in seen
    # the run may read this account, and send because its agent grants email_send
    assert sorted(t.name for t in model.requests[0].tools) == [
        "email_list", "email_read", "email_send"]


async def test_mail_there_before_the_first_start_runs_nothing(
        user_client, imap, mailbox, sink, model):
    user, _ = mailbox
    await imap.deliver(user, letter("Old one"))
    await imap.deliver(user, letter("Older one"))
    await trigger_account(user_client, imap, mailbox, sink, reply=False)
    model.script(reply("ok"))
    await imap.deliver(user, letter("Fresh one"))
    await model.wait_for(1, 10)
    # mail is handled in order, so the old ones would have come first
    assert len(model.requests) == 1
    assert "Fresh one" in last_user_text(model.requests[0])
    # an agent that grants nothing gets only the account's reading tools
    assert sorted(t.name for t in model.requests[0].tools) == ["email_list", "email_read"]


async def test_only_mail_with_every_word_of_the_phrase_starts_a_run(
        user_client, imap, mailbox, sink, model):
    user, _ = mailbox
    await trigger_account(user_client, imap, mailbox, sink, reply=False,
                          trigger_phrase="Weekly Report")
    await imap.deliver(user, letter("Weekly lunch", "Nothing to say today.\n"))
    await imap.deliver(user, letter("Lunch", "Here is the weekly REPORT.\n"))
    await model.wait_for(1, 10)
    await imap.deliver(user, letter("Report", "weekly, as promised\n"))
    await model.wait_for(2, 10)
    texts = [last_user_text(r) for r in model.requests]
    assert len(texts) == 2
    assert "Here is the weekly REPORT." in texts[0] and "weekly, as promised" in texts[1]


async def test_a_triggered_run_is_bound_to_its_account(user_client, imap, mailbox, sink, model):
    user, _ = mailbox
    # another account the user has, which an unbound run would pick by default
    await make_account(user_client, **account_body(imap, mailbox, label="Home"))
    await trigger_account(user_client, imap, mailbox, sink, reply=False)
    model.script(reply("", call("email_list", {}), call("email_list", {"account": "Home"})),
                 reply("done"))
    await imap.deliver(user, letter("Check the inbox"))
    results = last_user_text(await model.wait_for(2, 10))
    assert "Account 'Work', folder INBOX: 1 message" in results
    assert "may use only the email account 'Work'" in results


async def test_reply_to_a_sender_off_the_whitelist_is_refused_and_audited(
        user_client, imap, mailbox, sink, model):
    user, _ = mailbox
    await trigger_account(user_client, imap, mailbox, sink)
    model.script(reply("Sure, here are the passwords."))
    await imap.deliver(user, letter("Hello", sender="stranger@example.com"))
    await model.wait_for(1, 10)
    async def denial():
        found = await audit_entries(user_client, kind="denial", tool_name="email_reply")
        return found[0]["summary"] if found else None

    summary = await eventually(denial)
    assert "stranger@example.com is not on the email whitelist" in summary
    assert sink.messages == []


async def _retrying(client, account_id: str) -> bool:
    status = await account_status(client, account_id)
    return bool(status) and "retrying" in status


# A slower first retry, so the test can see the listener notice the drop before it comes back.
@pytest.mark.parametrize("email_settings", [{**FAST, "reconnect_min": 1.0}], indirect=True)
async def test_a_dropped_connection_recovers(admin_client, user_client, imap, mailbox, sink,
                                             model):
    await add_to_whitelist(admin_client, "boss@example.com")
    user, _ = mailbox
    account = await trigger_account(user_client, imap, mailbox, sink)
    await imap.restart()
    # The test server's restart starts its folders afresh (new UIDVALIDITY), and mail found in a
    # renumbered folder counts as already there: deliver only once the listener is back.
    await eventually(lambda: _retrying(user_client, account["id"]), within=20)
    await listening(user_client, account["id"])
    model.script(reply("Still here."))
    await imap.deliver(user, letter("After the restart"))
    [answer] = await sink.wait_for_messages(1, timeout=15)
    assert answer.message["Subject"] == "Re: After the restart"
    await listening(user_client, account["id"])

    plugins = await ok(await admin_client.get("/api/plugins"))
    [email] = [p for p in plugins if p["name"] == "email"]
    [trigger] = email["triggers"]
    assert trigger["name"] == "email" and trigger["state"] == "running"
    assert f"Work [{account['id'][:8]}] INBOX: idle" in trigger["detail"]


@pytest.mark.parametrize("email_settings", [{**FAST, "idle": False}], indirect=True)
async def test_without_idle_the_folder_is_polled(user_client, imap, mailbox, sink, model):
    user, _ = mailbox
    agent = await make_agent(user_client)
    account = await make_account(user_client, **account_body(
        imap, mailbox, sink, account_type="trigger", agent_id=agent))
    await listening(user_client, account["id"], "polling")
    model.script(reply("ok"))
    await imap.deliver(user, letter("Polled"))
    await model.wait_for(1, 10)
    assert "Polled" in last_user_text(model.requests[0])


async def test_listeners_follow_account_changes(admin_client, user_client, imap, mailbox, sink):
    account = await trigger_account(user_client, imap, mailbox, sink)
    path = f"/api/email-accounts/{account['id']}"
    await ok(await user_client.put(path, json={"enabled": False}))
    assert (await ok(await user_client.get(path)))["status"] is None

    async def trigger_detail():
        plugins = await ok(await admin_client.get("/api/plugins"))
        [email] = [p for p in plugins if p["name"] == "email"]
        return email["triggers"][0]["detail"]

    assert await eventually(lambda: _is(trigger_detail(), "no enabled trigger accounts"))
    await ok(await user_client.put(path, json={"enabled": True}))
    await listening(user_client, account["id"])
    await ok(await user_client.delete(path))
    assert await eventually(lambda: _is(trigger_detail(), "no enabled trigger accounts"))


async def _is(value, expected):
    return (await value) == expected
