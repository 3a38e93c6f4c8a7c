"""aioimaplib works against the real IMAP server started by ``imap_server``."""

import asyncio
import email
from email.message import EmailMessage
from email.policy import default as default_policy

import aioimaplib
import pytest
import pytest_asyncio
from jarvis.testing.servers import imap_server

pytestmark = pytest.mark.asyncio(loop_scope="module")

USERS = {"alice": "secret", "bob": "hunter2", "carol": "pa55", "dave": "d4ve"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def imap(tmp_path_factory):
    async with imap_server(users=USERS, tmp_path=tmp_path_factory.mktemp("imap")) as server:
        yield server


def mail(subject, body="Hello from the tests.\n"):
    message = EmailMessage()
    message["From"] = "sender@example.com"
    message["To"] = "alice@example.com"
    message["Subject"] = subject
    message.set_content(body)
    return message


async def connect(server, user, lost=None):
    client = aioimaplib.IMAP4(host=server.host, port=server.port, timeout=5,
                              conn_lost_cb=lost)
    await client.wait_hello_from_server()
    response = await client.login(user, server.users[user])
    assert response.result == "OK", response.lines
    return client


def fetched_message(response):
    """The message inside a FETCH response, parsed."""
    raw = next(line for line in response.lines if isinstance(line, bytearray))
    return email.message_from_bytes(bytes(raw), policy=default_policy)


async def test_wrong_password_is_refused(imap):
    client = aioimaplib.IMAP4(host=imap.host, port=imap.port, timeout=5)
    await client.wait_hello_from_server()
    response = await client.login("alice", "not-her-password")
    assert response.result == "NO"
    assert b"AUTHENTICATIONFAILED" in response.lines[0]
    assert (await client.login("nobody", "secret")).result == "NO"
    await client.logout()


async def test_idle_sees_a_delivered_message(imap):
    client = await connect(imap, "alice")
    assert client.has_capability("IDLE")
    await client.select("INBOX")
    idle = await client.idle_start(timeout=20)  # returns once the server says "+ idling"
    await imap.deliver("alice", mail("Pushed"))
    pushed = await client.wait_server_push(timeout=10)
    client.idle_done()
    await asyncio.wait_for(idle, 10)
    assert any(line.endswith(b"EXISTS") for line in pushed)

    unseen = await client.search("UNSEEN")
    assert unseen.lines[0] == b"1"
    message = fetched_message(await client.fetch("1", "(BODY.PEEK[])"))
    assert message["Subject"] == "Pushed"
    assert message.get_content().strip() == "Hello from the tests."
    await client.logout()


async def test_seen_flag_and_rfc822_fetch(imap):
    await imap.deliver("bob", mail("First"))
    await imap.deliver("bob", b"From: x@example.com\r\nSubject: Second\r\n\r\nraw body\r\n")
    client = await connect(imap, "bob")
    await client.select("INBOX")
    assert (await client.search("UNSEEN")).lines[0] == b"1 2"
    message = fetched_message(await client.fetch("2", "(RFC822)"))
    assert message["Subject"] == "Second"
    # RFC822 implies \Seen, as on any IMAP server; STORE marks the other one.
    await client.store("1", "+FLAGS", r"(\Seen)")
    assert (await client.search("UNSEEN")).lines[0] == b""
    listing = await client.list('""', "*")
    assert any(b"INBOX" in line for line in listing.lines)
    await client.logout()


async def test_append_from_the_client_and_uids(imap):
    client = await connect(imap, "carol")
    response = await client.append(mail("Draft").as_bytes(), mailbox="INBOX", flags=r"(\Seen)")
    assert response.result == "OK" and b"APPENDUID" in response.lines[0]
    await client.select("INBOX")
    response = await client.uid("fetch", "1:*", "(UID FLAGS)")
    assert b"UID 1" in response.lines[0] and b"\\Seen" in response.lines[0]
    await client.logout()


async def test_restart_drops_connections_and_keeps_mail(imap):
    lost = asyncio.get_running_loop().create_future()
    client = await connect(imap, "dave", lost=lambda exc: lost.done() or lost.set_result(exc))
    await client.select("INBOX")
    await imap.deliver("dave", mail("Before restart"))

    await imap.restart()
    await asyncio.wait_for(lost, 5)

    again = await connect(imap, "dave")
    await again.select("INBOX")
    message = fetched_message(await again.fetch("1", "(BODY.PEEK[])"))
    assert message["Subject"] == "Before restart"
    await again.logout()
