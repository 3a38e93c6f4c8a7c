"""Mail servers are outbound connections: private and loopback addresses are refused unless
the admin allowed the host (or a test allows its loopback servers)."""

import pytest
from jarvis import GuardedHttp
from jarvis.testing.polling import eventually

from .helpers import account_body, letter, make_account, make_agent, run_as_agent
from .helpers import account_status as status_of
from .helpers import whitelist as add_to_whitelist


@pytest.fixture
def jarvis_outbound_http(request, sink):
    """No test allowance; with the parameter "smtp", the admin allows the SMTP server only."""
    if getattr(request, "param", None) == "smtp":
        return GuardedHttp(allowed_private_hosts={f"127.0.0.1:{sink.port}"})
    return None


async def test_loopback_servers_are_refused(admin_client, user_client, imap, mailbox, sink,
                                            tmp_path):
    await add_to_whitelist(admin_client, "bob@example.com")
    await make_account(user_client, **account_body(imap, mailbox, sink))
    listed = await run_as_agent(user_client, tmp_path, "email_list")
    assert not listed.ok and "refused: 127.0.0.1 is a loopback address" in listed.error
    sent = await run_as_agent(user_client, tmp_path, "email_send", to=["bob@example.com"],
                          subject="Hi", body="x")
    assert not sent.ok and "refused: 127.0.0.1 is a loopback address" in sent.error
    assert sink.messages == []


async def test_private_names_are_refused_after_resolving(user_client, tmp_path):
    await make_account(user_client, **account_body(imap_host="localhost", imap_port=993))
    listed = await run_as_agent(user_client, tmp_path, "email_list")
    assert not listed.ok and "loopback address" in listed.error


@pytest.mark.parametrize("jarvis_outbound_http", ["smtp"], indirect=True)
async def test_an_admin_allowed_host_is_reachable(admin_client, user_client, imap, mailbox,
                                                  sink, tmp_path):
    # only the SMTP server is allowed, by address and port; the IMAP server stays refused
    await add_to_whitelist(admin_client, "bob@example.com")
    await make_account(user_client, **account_body(imap, mailbox, sink))
    sent = await run_as_agent(user_client, tmp_path, "email_send", to=["bob@example.com"],
                          subject="Hi", body="x")
    assert sent.ok, sent.error
    listed = await run_as_agent(user_client, tmp_path, "email_list")
    assert not listed.ok and "loopback" in listed.error


async def test_a_refused_listener_shows_why_and_keeps_trying(user_client, imap, mailbox, sink):
    agent = await make_agent(user_client)
    account = await make_account(user_client, **account_body(
        imap, mailbox, sink, account_type="trigger", agent_id=agent))
    await imap.deliver(mailbox[0], letter("Never seen"))
    status = await eventually(lambda: _retrying(user_client, account["id"]))
    assert "refused: 127.0.0.1 is a loopback address" in status
    assert "next attempt in" in status


async def _retrying(client, account_id):
    status = await status_of(client, account_id)
    return status if status and "retrying" in status else None
