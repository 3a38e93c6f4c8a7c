"""The caldav tools against a real Radicale: create, list across a time-zone boundary,
read, update, delete, and clear errors when the login or the server is wrong."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time

import pytest
from jarvis.testing.plugins import run_tool
from jarvis.testing.servers import free_port

from .conftest import save_settings, settings_body


@pytest.fixture
async def alice(user_client, radicale, dav_user):
    """A user whose CalDAV settings point at their own Radicale login."""
    await save_settings(user_client, settings_body(radicale, dav_user))
    return user_client


async def berlin(admin_client) -> None:
    resp = await admin_client.post("/api/settings/general", json={"time_zone": "Europe/Berlin"})
    assert resp.status == 200


def uid_of(result) -> str:
    assert result.ok, result.error
    return result.content.rsplit("UID: ", 1)[1].strip()


async def test_an_event_late_in_utc_shows_on_the_next_day_in_berlin(admin_client, alice,
                                                                    radicale, dav_user):
    await berlin(admin_client)
    created = await run_tool(alice, "caldav_create_event", summary="Late call",
                         start="2026-05-04T23:30Z", end="2026-05-05T00:15Z")
    uid = uid_of(created)
    assert "2026-05-05 (Tue) 01:30–02:15 (Europe/Berlin)" in created.content
    assert await asyncio.to_thread(radicale.summaries, dav_user[0]) == ["Late call"]

    next_day = await run_tool(alice, "caldav_list_events", start="2026-05-05")
    assert next_day.ok, next_day.error
    assert "- 2026-05-05 (Tue) 01:30–02:15: Late call" in next_day.content
    assert uid in next_day.content and "(times in Europe/Berlin)" in next_day.content
    same_day = await run_tool(alice, "caldav_list_events", start="2026-05-04", end="2026-05-04")
    assert same_day.ok and "no events" in same_day.content


async def test_utc_users_see_the_event_on_its_utc_day(alice):
    await run_tool(alice, "caldav_create_event", summary="Late call", start="2026-05-04T23:30Z",
               end="2026-05-04T23:50Z")
    found = await run_tool(alice, "caldav_list_events", start="2026-05-04")
    assert "- 2026-05-04 (Mon) 23:30–23:50: Late call" in found.content
    assert "no events" in (await run_tool(alice, "caldav_list_events", start="2026-05-05")).content
    # without an end it lasts an hour, so it reaches into the next day
    await run_tool(alice, "caldav_create_event", summary="Longer call", start="2026-05-04T23:30Z")
    found = await run_tool(alice, "caldav_list_events", start="2026-05-05")
    assert "- 2026-05-04 (Mon) 23:30 – 2026-05-05 (Tue) 00:30: Longer call" in found.content
    assert "Late call" not in found.content


async def test_times_without_an_offset_are_the_users_local_times(admin_client, alice):
    await berlin(admin_client)
    await run_tool(alice, "caldav_create_event", summary="Dentist", start="2026-07-01T09:00",
               location="Main St 5")
    found = await run_tool(alice, "caldav_list_events", start="2026-07-01T08:00",
                       end="2026-07-01T10:00")
    assert "- 2026-07-01 (Wed) 09:00–10:00: Dentist (at Main St 5)" in found.content


async def test_all_day_events_stay_on_their_days(admin_client, alice):
    await berlin(admin_client)
    created = await run_tool(alice, "caldav_create_event", summary="Holiday", start="2026-05-06",
                         end="2026-05-07")
    assert "2026-05-06 (Wed) – 2026-05-07 (Thu), all day" in created.content
    for day, seen in [("2026-05-05", False), ("2026-05-06", True), ("2026-05-07", True),
                      ("2026-05-08", False)]:
        found = await run_tool(alice, "caldav_list_events", start=day)
        assert ("Holiday" in found.content) is seen, (day, found.content)


async def test_a_range_lists_events_in_order_and_honours_the_limit(alice):
    for day, title in [("2026-06-03", "Third"), ("2026-06-01", "First"),
                       ("2026-06-02", "Second")]:
        assert (await run_tool(alice, "caldav_create_event", summary=title,
                           start=f"{day}T10:00")).ok
    found = await run_tool(alice, "caldav_list_events", start="2026-06-01", end="2026-06-30")
    assert found.content.index("First") < found.content.index("Second") < found.content.index(
        "Third")
    cut = await run_tool(alice, "caldav_list_events", start="2026-06-01", end="2026-06-30", limit=2)
    assert "Third" not in cut.content and "showing the first 2 of 3" in cut.content


async def test_get_update_and_delete_an_event(alice, radicale, dav_user):
    uid = uid_of(await run_tool(alice, "caldav_create_event", summary="Review",
                            start="2026-05-04T09:00Z", end="2026-05-04T10:00Z",
                            description="Bring the slides"))
    got = await run_tool(alice, "caldav_get_event", uid=uid)
    assert got.ok, got.error
    assert "Summary: Review" in got.content and "Bring the slides" in got.content
    assert "When: 2026-05-04 (Mon) 09:00–10:00 (UTC)" in got.content

    moved = await run_tool(alice, "caldav_update_event", uid=uid, summary="Design review",
                       start="2026-05-05T14:00Z", location="Room 2")
    assert moved.ok, moved.error
    assert "2026-05-05 (Tue) 14:00–15:00" in moved.content  # the length stays one hour
    got = await run_tool(alice, "caldav_get_event", uid=uid)
    assert "Summary: Design review" in got.content and "Location: Room 2" in got.content
    assert "Bring the slides" in got.content

    cleared = await run_tool(alice, "caldav_update_event", uid=uid, description="")
    assert cleared.ok and "Bring the slides" not in (
        await run_tool(alice, "caldav_get_event", uid=uid)).content

    deleted = await run_tool(alice, "caldav_delete_event", uid=uid)
    assert deleted.ok and uid in deleted.content
    assert await asyncio.to_thread(radicale.summaries, dav_user[0]) == []
    missing = await run_tool(alice, "caldav_get_event", uid=uid)
    assert not missing.ok and f"no event with uid {uid!r}" in missing.error


async def test_a_recurring_event_shows_each_occurrence(alice, radicale, dav_user):
    await asyncio.to_thread(
        radicale.save_event, dav_user[0], uid="standup-1", summary="Standup",
        dtstart=dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
        dtend=dt.datetime(2026, 5, 1, 9, 15, tzinfo=dt.UTC), rrule={"FREQ": "DAILY", "COUNT": 10})
    found = await run_tool(alice, "caldav_list_events", start="2026-05-04", end="2026-05-05")
    assert found.content.count("Standup [uid: standup-1]") == 2
    assert "2026-05-05 (Tue) 09:00–09:15" in found.content
    got = await run_tool(alice, "caldav_get_event", uid="standup-1")
    assert "Repeats: yes" in got.content


async def test_an_unknown_uid_is_a_clear_error(alice):
    for name in ("caldav_update_event", "caldav_delete_event"):
        args = {"summary": "x"} if name == "caldav_update_event" else {}
        result = await run_tool(alice, name, uid="no-such-event", **args)
        assert not result.ok and "no event with uid 'no-such-event'" in result.error


async def test_an_end_before_the_start_is_refused(alice):
    result = await run_tool(alice, "caldav_create_event", summary="Backwards",
                        start="2026-05-04T10:00", end="2026-05-04T09:00")
    assert not result.ok and result.error == "end: must be after the start"


async def test_a_user_without_settings_is_told_to_set_them(user_client):
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok and "CalDAV is not set up for you" in result.error


async def test_a_wrong_password_is_a_clear_tool_error(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user, password="wrong"))
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok
    assert f"refused the login of {dav_user[0]!r}" in result.error
    assert "wrong" not in result.error


async def test_a_server_that_is_down_is_a_clear_tool_error(user_client, dav_user):
    await save_settings(user_client, {"server_url": f"http://127.0.0.1:{free_port()}/dav/",
                                       "username": dav_user[0], "password": dav_user[1]})
    result = await run_tool(user_client, "caldav_create_event", summary="x", start="2026-05-04")
    assert not result.ok
    assert "could not connect to the CalDAV server" in result.error
    assert "connection refused" in result.error


@pytest.mark.parametrize("caldav_section", [{"timeout": 0.3}], indirect=True)
async def test_a_server_that_never_answers_does_not_hang(user_client, dav_user):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    try:
        port = silent.getsockname()[1]
        await save_settings(user_client, {"server_url": f"http://127.0.0.1:{port}/",
                                           "username": dav_user[0], "password": dav_user[1]})
        began = time.monotonic()
        result = await run_tool(user_client, "caldav_list_events")
        assert not result.ok and "did not answer within 0.3 s" in result.error
        assert time.monotonic() - began < 5
    finally:
        silent.close()


async def test_an_unknown_calendar_names_the_ones_there(user_client, radicale, dav_user):
    await save_settings(user_client, settings_body(radicale, dav_user, calendar="Holidays"))
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok
    assert result.error == "there is no calendar named 'Holidays'; the server has: Work"


async def test_another_users_calendar_is_a_permission_error(user_client, radicale, dav_user):
    other, _ = radicale.fresh_user()
    await save_settings(user_client, settings_body(
        radicale, dav_user, server_url=radicale.server.principal_url(other)))
    result = await run_tool(user_client, "caldav_list_events")
    assert not result.ok
    assert f"does not let {dav_user[0]!r} do this (HTTP 403)" in result.error
