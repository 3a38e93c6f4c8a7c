"""TLS to mail servers: STARTTLS and implicit TLS, certificates checked (extra CAs from the
``ca_file`` setting)."""

import sys

import pytest
from jarvis.testing.servers import ServerProcess, free_port, smtp_sink
from jarvis.testing.smtp_sink import self_signed_certificate
from pysasl.hashing import BuiltinHash

from .conftest import FAST
from .helpers import account_body, make_account, run_as_agent, whitelist


@pytest.fixture
async def tls_imap(tmp_path):
    """pymap with a certificate: it offers STARTTLS."""
    folder = tmp_path / "pymap"
    folder.mkdir()
    cert, key = self_signed_certificate(folder)
    base = folder / "maildir"
    base.mkdir()
    (base / "pymap-etc-passwd").write_text("alice:x::::alice:\r\n")
    (base / "pymap-etc-shadow").write_text(
        f"alice:{BuiltinHash(rounds=1000).hash('secret')}:::::::\r\n")
    port = free_port()
    argv = [sys.executable, "-c", "from pymap.main import main; main()",
            "--no-service", "admin", "--no-service", "managesieve", "--no-service", "swim",
            "--host", "127.0.0.1", "--port", str(port), "--cert", str(cert), "--key", str(key),
            "maildir", str(base)]
    process = ServerProcess("pymap-tls", argv, port, folder / "pymap.log",
                            env={"FQDN": "localhost"})
    await process.start()
    yield port, cert
    await process.stop()


@pytest.fixture
async def starttls_sink():
    async with smtp_sink(username="jarvis", password="smtp-secret", tls="starttls") as server:
        yield server


@pytest.fixture
async def implicit_sink():
    async with smtp_sink(username="jarvis", password="smtp-secret", tls="implicit") as server:
        yield server


SERVERS = {"imap": "tls_imap", "starttls": "starttls_sink", "implicit": "implicit_sink"}


@pytest.fixture
def trust(request) -> str | None:
    """Which server's certificate the app trusts (parametrize indirectly); None: none."""
    return request.param


@pytest.fixture
def email_settings(request, trust):
    """Trust one test server's self-signed certificate through ``ca_file``. (One at a time:
    the test certificates all name the same subject, so a bundle of several confuses OpenSSL.)"""
    if trust is None:
        return dict(FAST)
    server = request.getfixturevalue(SERVERS[trust])
    return {**FAST, "ca_file": str(server[1] if trust == "imap" else server.cert_path)}


def tls_account(imap_port, sink=None, smtp_tls="none"):
    return account_body(sink=sink, imap_host="127.0.0.1", imap_port=imap_port,
                        imap_tls="starttls", imap_username="alice", imap_password="secret",
                        smtp_tls=smtp_tls)


async def send(client, tmp_path):
    return await run_as_agent(client, tmp_path, "email_send", to=["bob@example.com"],
                          subject="Over TLS", body="x")


@pytest.mark.parametrize("trust", ["imap"], indirect=True)
async def test_imap_starttls(user_client, tls_imap, tmp_path):
    await make_account(user_client, **tls_account(tls_imap[0]))
    listed = await run_as_agent(user_client, tmp_path, "email_list")
    assert listed.ok, listed.error
    assert listed.content.startswith("Account 'Work', folder INBOX: 0 messages")


@pytest.mark.parametrize(("trust", "smtp_tls"), [("starttls", "starttls"), ("implicit", "ssl")],
                         indirect=["trust"])
async def test_smtp_over_tls(admin_client, user_client, request, trust, smtp_tls, tmp_path):
    sink = request.getfixturevalue(SERVERS[trust])
    await whitelist(admin_client, "bob@example.com")
    await make_account(user_client, **tls_account(1, sink, smtp_tls))
    sent = await send(user_client, tmp_path)
    assert sent.ok, sent.error
    [mail] = await sink.wait_for_messages(1)
    assert (mail.encrypted, mail.auth_user) == (True, "jarvis")


@pytest.mark.parametrize("trust", [None], indirect=True)
async def test_untrusted_certificates_are_refused(admin_client, user_client, tls_imap,
                                                  implicit_sink, tmp_path):
    await whitelist(admin_client, "bob@example.com")
    await make_account(user_client, **tls_account(tls_imap[0], implicit_sink, "ssl"))
    listed = await run_as_agent(user_client, tmp_path, "email_list")
    assert not listed.ok and "certificate verify failed" in listed.error
    sent = await send(user_client, tmp_path)
    assert not sent.ok and "certificate verify failed" in sent.error
    assert implicit_sink.messages == []
