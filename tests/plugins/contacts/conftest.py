"""Fixtures for the contacts plugin: a real Radicale (it serves CardDAV) shared by a module,
each test logging in as a user of its own with an address book made straight over HTTP."""

from __future__ import annotations

from typing import Any

import jarvis_contacts
import niquests
import pytest
from jarvis.testing.clients import JarvisClient, expect
from jarvis.testing.dav import dav_user_fixture, radicale_fixture
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin, loopback_http
from jarvis.testing.threaded import ThreadedServer

DAV_USERS = {f"card{i}": f"pw-{i}-secret" for i in range(1, 41)}


class ThreadedRadicale(ThreadedServer):
    """Radicale with set-up and checks made over plain HTTP (unguarded)."""

    @property
    def url(self) -> str:
        return self.server.url

    def cards(self, user: str, name: str = "Friends") -> str:
        """Every card of the book as one text (Radicale's export of the collection)."""
        answer = niquests.get(f"{self.url}{user}/{name.lower()}/", auth=(user, DAV_USERS[user]),
                              timeout=10)
        assert answer.status_code == 200
        return answer.text


radicale = radicale_fixture(ThreadedRadicale, DAV_USERS)
# each test's own login starts with an address book "Friends"
dav_user = dav_user_fixture(lambda server, user: server.server.make_addressbook(user, "Friends"))


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_contacts, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"contacts": {"timeout": 5, "operation_timeout": 20}}}


@pytest.fixture
def jarvis_outbound_http():
    return loopback_http()  # the loopback Radicale plays a public server


async def save_settings(client: JarvisClient, url: str, login: tuple[str, str],
                        **more: Any) -> dict[str, Any]:
    return await expect(await client.post("/api/my/contacts", json={
        "server_url": url, "username": login[0], "password": login[1], **more}))


@pytest.fixture
async def alice_book(alice, radicale, dav_user):
    await save_settings(alice, radicale.url, dav_user, addressbook="Friends")
    return alice
