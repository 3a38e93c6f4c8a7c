"""Fixtures for the caldav plugin: a real Radicale shared by a module (each test logs in as a
user of its own), an app whose guarded client may reach it, and tool calls made by hand."""

from __future__ import annotations

from typing import Any

import caldav
import jarvis_caldav
import pytest
from jarvis import GuardedHttp
from jarvis.testing.apps import app_fixtures, settings_fixture
from jarvis.testing.clients import JarvisClient
from jarvis.testing.dav import dav_user_fixture, radicale_fixture
from jarvis.testing.plugins import loopback_http
from jarvis.testing.threaded import ThreadedServer

DAV_USERS = {f"cal{i}": f"pw-{i}-secret" for i in range(1, 61)}
FAST = {"timeout": 5, "operation_timeout": 20}


class ThreadedRadicale(ThreadedServer):
    """Radicale shared by a module (each test logs in as a user of its own), with set-up and
    checks made straight through the caldav library (unguarded)."""

    @property
    def url(self) -> str:
        return self.server.url

    def _dav(self, user: str) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.url, username=user, password=DAV_USERS[user])

    def make_calendar(self, user: str, name: str) -> None:
        """Create a calendar of ``user``."""
        with self._dav(user) as dav:
            dav.principal().make_calendar(name=name)

    def save_event(self, user: str, calendar: str = "Work", **fields: Any) -> None:
        """Store an event (e.g. a recurring one)."""
        with self._dav(user) as dav:
            dav.principal().calendar(name=calendar).save_event(**fields)

    def summaries(self, user: str, calendar: str = "Work") -> list[str]:
        """Every event title in one of the user's calendars, straight from the server."""
        with self._dav(user) as dav:
            found = dav.principal().calendar(name=calendar)
            return sorted(str(e.get_icalendar_component()["summary"]) for e in found.events())


radicale = radicale_fixture(ThreadedRadicale, DAV_USERS)
# each test's own login starts with a calendar "Work"
dav_user = dav_user_fixture(lambda server, user: server.make_calendar(user, "Work"))


# the ``[plugins.caldav]`` section of the test app: FAST, updated by parametrizing this
caldav_section = settings_fixture("caldav_section")
jarvis_plugins, jarvis_settings = app_fixtures(jarvis_caldav, "caldav_section", defaults=FAST)


@pytest.fixture
def jarvis_outbound_http() -> GuardedHttp | None:
    """By default a test-only allowance for the loopback Radicale."""
    return loopback_http()


def settings_body(radicale: ThreadedRadicale, login: tuple[str, str], **overrides: Any) -> dict:
    """A POST /api/my/caldav body for ``login`` on the test Radicale."""
    user, password = login
    return {"server_url": radicale.url, "username": user, "password": password,
            "calendar": "Work", **overrides}


async def save_settings(client: JarvisClient, body: dict[str, Any]) -> dict[str, Any]:
    resp = await client.post("/api/my/caldav", json=body)
    answer = await resp.json()
    assert resp.status == 200, answer
    return answer
