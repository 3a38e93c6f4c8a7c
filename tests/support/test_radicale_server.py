"""The caldav client works against the Radicale launched by ``radicale_server``."""

import asyncio
import datetime as dt

import caldav
import pytest
import pytest_asyncio
from caldav.lib.error import AuthorizationError
from jarvis.testing.servers import radicale_server

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAY_4 = dt.datetime(2026, 5, 4, tzinfo=dt.UTC)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def radicale(tmp_path_factory):
    users = {"alice": "secret", "bob": "hunter2"}
    async with radicale_server(tmp_path_factory.mktemp("radicale"), users=users) as server:
        yield server


def client(server, user, password=None):
    return caldav.DAVClient(url=server.url, username=user,
                            password=password or server.users[user])


def plan_and_search(server):
    """Make a calendar, save two events, and search one day; returns the summaries found."""
    with client(server, "alice") as dav:
        calendar = dav.principal().make_calendar(name="Work")
        calendar.save_event(dtstart=MAY_4.replace(hour=9), dtend=MAY_4.replace(hour=10),
                            summary="Standup")
        calendar.save_event(dtstart=MAY_4 + dt.timedelta(days=3),
                            dtend=MAY_4 + dt.timedelta(days=3, hours=1), summary="Review")
        found = calendar.search(start=MAY_4, end=MAY_4 + dt.timedelta(days=1), event=True)
        return sorted(str(event.icalendar_component["summary"]) for event in found)


async def test_calendar_events_round_trip(radicale):
    assert await asyncio.to_thread(plan_and_search, radicale) == ["Standup"]
    assert radicale.url == f"http://127.0.0.1:{radicale.port}/"


def login(server, user, password):
    with client(server, user, password) as dav:
        return dav.principal().url


async def test_wrong_password_is_refused(radicale):
    with pytest.raises(AuthorizationError):
        await asyncio.to_thread(login, radicale, "alice", "wrong")
    with pytest.raises(AuthorizationError):
        await asyncio.to_thread(login, radicale, "mallory", "secret")


async def test_users_cannot_read_each_other(radicale):
    principal_url = await asyncio.to_thread(login, radicale, "bob", "hunter2")
    assert str(principal_url).rstrip("/").endswith("/bob")

    def peek_at_alice():
        with client(radicale, "bob") as dav:
            return caldav.Calendar(client=dav, url=radicale.principal_url("alice")).events()

    with pytest.raises(AuthorizationError):
        await asyncio.to_thread(peek_at_alice)


async def test_data_survives_a_restart(radicale):
    def make_family_calendar():
        with client(radicale, "bob") as dav:
            dav.principal().make_calendar(name="Family")

    def calendars():
        with client(radicale, "bob") as dav:
            return [c.get_display_name() for c in dav.principal().calendars()]

    await asyncio.to_thread(make_family_calendar)
    await radicale.restart()
    assert "Family" in await asyncio.to_thread(calendars)
