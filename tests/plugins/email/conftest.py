"""Fixtures for the email plugin: a real IMAP server (pymap) shared by a module, an SMTP sink
per test, the scripted model, and helpers to set up accounts, agents and the whitelist."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import jarvis_email
import pytest
from jarvis import GuardedHttp
from jarvis.testing.apps import app_fixtures, settings_fixture
from jarvis.testing.plugins import loopback_http, plugin_context
from jarvis.testing.servers import imap_server, smtp_sink
from jarvis.testing.threaded import ThreadedServer

IMAP_USERS = {f"box{i}": f"pw-{i}-secret" for i in range(1, 41)}
FAST = {
    "connect_timeout": 5, "command_timeout": 10, "poll_interval": 0.2,
    "accounts_refresh": 0.2, "reconnect_min": 0.05, "reconnect_max": 0.5,
}


class ThreadedImap(ThreadedServer):
    """pymap shared by a module; each test takes a mailbox of its own."""

    async def deliver(self, user: str, message: Any, **kw: Any) -> None:
        """Put a message into ``user``'s mailbox, as a new mail arriving."""
        await self.server.deliver(user, message, **kw)


@pytest.fixture(scope="module")
def imap(tmp_path_factory) -> Iterator[ThreadedImap]:
    server = ThreadedImap(imap_server(users=IMAP_USERS, tmp_path=tmp_path_factory.mktemp("imap")))
    yield server
    server.close()


@pytest.fixture
def mailbox(imap) -> tuple[str, str]:
    """(user, password) of an IMAP mailbox of this test alone."""
    return imap.fresh_user()


@pytest.fixture
async def sink() -> AsyncIterator[Any]:
    async with smtp_sink(username="jarvis", password="smtp-secret") as server:
        yield server


# the ``[plugins.email]`` section of the test app: FAST, updated by parametrizing this
email_settings = settings_fixture("email_settings")
jarvis_plugins, jarvis_settings = app_fixtures(jarvis_email, "email_settings", defaults=FAST)


@pytest.fixture
def jarvis_outbound_http() -> GuardedHttp | None:
    """By default a test-only allowance for the loopback mail servers."""
    return loopback_http()


@pytest.fixture
def runtime(anon_client):
    return plugin_context(anon_client, "email")
