"""email_send through the runtime and the real SMTP sink: whitelist, daily limits, injection."""

import asyncio

from jarvis import AgentConfig, RunRequest
from jarvis.testing.plugins import contributions
from jarvis.testing.scripted import last_user_text, reply, tool_use

from .helpers import account_body, agent_context, make_account, whitelist


async def send_in_run(runtime, model, user, allowed_tools=("email",), **args) -> str:
    """Run an agent whose model calls email_send once; return what the tool answered."""
    model.script(tool_use("email_send", args), reply("done"))
    before = len(model.requests)
    outcome = await runtime.run(RunRequest(
        kind="agent", user=user, message="Send the mail.",
        agent=AgentConfig(model="fake:echo", allowed_tools=list(allowed_tools) or None)))
    assert outcome.ok, outcome
    return unwrap(last_user_text(model.requests[before + 1]))


async def direct_send(admin_client, user_client, tmp_path, limit: int, **account: object):
    """The email_send tool called by hand for a mail to bob@example.com (whitelisted with
    ``limit`` a day) from an account on the sink: (call, its context)."""
    await whitelist(admin_client, "bob@example.com", daily_limit=limit)
    await make_account(user_client, **account_body(**account))
    tool = contributions(user_client.app).tools["email_send"]
    args = tool.Input.model_validate({"to": ["bob@example.com"], "subject": "Hi", "body": "x"})
    ctx = agent_context(user_client, tmp_path)
    return lambda: tool.run(args, ctx)


def unwrap(text: str) -> str:
    """A tool result without the untrusted-data fence the runtime puts around it."""
    if not text.startswith("<<untrusted-data"):
        return text
    return "\n".join(text.splitlines()[2:-1])


async def test_whitelisted_recipients_get_the_mail(admin_client, user_client, runtime, model,
                                                   sink):
    for address in ("bob@example.com", "carol@example.com", "dave@example.com"):
        await whitelist(admin_client, address)
    await make_account(user_client, **account_body(sink=sink))
    result = await send_in_run(
        runtime, model, user_client.user, to=["bob@example.com"], cc=["carol@EXAMPLE.com"],
        bcc=["dave@example.com"], subject="Status", body="All good.\n")
    assert result.startswith("Sent 'Status'"), result
    [mail] = await sink.wait_for_messages(1)
    assert mail.mail_from == "jarvis@example.com"
    assert mail.rcpt_tos == ["bob@example.com", "carol@example.com", "dave@example.com"]
    assert mail.message["To"] == "bob@example.com"
    assert mail.message["Cc"] == "carol@example.com"
    assert mail.message["Bcc"] is None  # blind copies travel only in the envelope
    assert mail.message["Subject"] == "Status"
    assert mail.message.get_content() == "All good.\n"
    assert mail.auth_user == "jarvis"


async def test_recipient_off_the_whitelist_is_refused(user_client, runtime, model, sink):
    await make_account(user_client, **account_body(sink=sink))
    result = await send_in_run(runtime, model, user_client.user, to=["eve@example.com"],
                               subject="Hi", body="x")
    assert "eve@example.com is not on the email whitelist" in result
    assert sink.messages == []


async def test_mixed_recipients_send_nothing(admin_client, user_client, runtime, model, sink):
    await whitelist(admin_client, "bob@example.com", daily_limit=1)
    await make_account(user_client, **account_body(sink=sink))
    result = await send_in_run(runtime, model, user_client.user,
                               to=["bob@example.com"], bcc=["eve@example.com"],
                               subject="Hi", body="x")
    assert "refused by policy" in result and "eve@example.com" in result
    assert sink.messages == []
    # bob's one mail a day was not used up by the refused send
    result = await send_in_run(runtime, model, user_client.user, to=["bob@example.com"],
                               subject="Hi", body="x")
    assert result.startswith("Sent"), result
    await sink.wait_for_messages(1)


async def test_tag_and_display_name_variants_are_not_the_whitelisted_address(
        admin_client, user_client, runtime, model, sink):
    await whitelist(admin_client, "bob@example.com")
    await make_account(user_client, **account_body(sink=sink))
    tagged = await send_in_run(runtime, model, user_client.user, to=["bob+x@example.com"],
                               subject="Hi", body="x")
    assert "bob+x@example.com is not on the email whitelist" in tagged
    named = await send_in_run(runtime, model, user_client.user,
                              to=["Bob <bob@example.com>"], subject="Hi", body="x")
    assert "invalid arguments: to.0" in named
    lookalike = await send_in_run(runtime, model, user_client.user,
                                  to=["bоb@example.com"], subject="Hi", body="x")  # Cyrillic o
    assert "invalid arguments: to.0" in lookalike or "not on the email whitelist" in lookalike
    assert sink.messages == []


async def test_header_injection_is_refused(admin_client, user_client, runtime, model, sink):
    await whitelist(admin_client, "bob@example.com")
    await make_account(user_client, **account_body(sink=sink))
    for args, field in [
        ({"to": ["bob@example.com"], "subject": "Hi\r\nBcc: eve@example.com"}, "subject"),
        ({"to": ["bob@example.com\r\nBcc: eve@example.com"], "subject": "Hi"}, "to.0"),
        ({"to": ["bob@example.com"], "cc": ["eve@example.com\n"], "subject": "Hi"}, "cc.0"),
        ({"to": ["bob@example.com"], "subject": "Hi",
          "in_reply_to": "<a@b>\r\nBcc: eve@example.com"}, "in_reply_to"),
    ]:
        result = await send_in_run(runtime, model, user_client.user, body="x", **args)
        assert result.startswith(f"invalid arguments: {field}"), (field, result)
    assert sink.messages == []


async def test_headless_runs_need_a_grant_to_send(admin_client, user_client, runtime, model,
                                                  sink):
    await whitelist(admin_client, "bob@example.com", daily_limit=1)
    await make_account(user_client, **account_body(sink=sink))
    result = await send_in_run(runtime, model, user_client.user, allowed_tools=(),
                               to=["bob@example.com"], subject="Hi", body="x")
    assert "needs confirmation" in result
    assert sink.messages == []
    result = await send_in_run(runtime, model, user_client.user, allowed_tools=("email_send",),
                               to=["bob@example.com"], subject="Hi", body="x")
    assert result.startswith("Sent"), result  # the refused call used none of the quota


async def test_daily_limit_holds_exactly_under_parallel_sends(admin_client, user_client, sink,
                                                              tmp_path):
    send = await direct_send(admin_client, user_client, tmp_path, 5, sink=sink)
    results = await asyncio.gather(*(send() for _ in range(20)))
    sent = [r for r in results if r.ok]
    refused = [r for r in results if not r.ok]
    assert len(sent) == 5
    assert len(refused) == 15
    assert all("bob@example.com reached its daily limit of 5 mails" in r.error for r in refused)
    assert len(await sink.wait_for_messages(5)) == 5
    await asyncio.sleep(0.1)
    assert len(sink.messages) == 5


async def test_failed_delivery_gives_the_quota_back(admin_client, user_client, sink, tmp_path):
    send = await direct_send(admin_client, user_client, tmp_path, 1, sink=sink)
    sink.reject_recipients.add("bob@example.com")
    failed = await send()
    assert not failed.ok and "refused every recipient" in failed.error
    sink.reject_recipients.clear()
    assert (await send()).ok
    assert len(await sink.wait_for_messages(1)) == 1


async def test_a_wrong_smtp_password_is_reported(admin_client, user_client, sink, tmp_path):
    send = await direct_send(admin_client, user_client, tmp_path, 1, sink=sink,
                             smtp_password="wrong")
    refused = await send()
    assert not refused.ok and "refused the login of jarvis" in refused.error
    assert sink.messages == []
