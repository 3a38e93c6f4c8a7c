"""Disabling the caldav plugin takes its routes and tools away; another plugin stays."""

from __future__ import annotations

import jarvis_caldav
import jarvis_pushover
import pytest
from jarvis.testing.clients import logged_in
from jarvis.testing.plugins import BUILTIN_PROVIDERS, contributions, installed_plugins

CALDAV_TOOLS = {"caldav_list_events", "caldav_get_event", "caldav_create_event",
                "caldav_update_event", "caldav_delete_event"}


def test_the_plugin_is_installed_as_an_entry_point():
    assert installed_plugins()["caldav"] == "jarvis_caldav"


@pytest.mark.parametrize("disabled", [True, False])
async def test_disabling_caldav_removes_its_routes_and_tools(make_app, disabled):
    off = [*BUILTIN_PROVIDERS, "caldav"] if disabled else BUILTIN_PROVIDERS
    async with logged_in(make_app(jarvis_caldav, jarvis_pushover, disable_plugins=off)) as user:
        tools = set(contributions(user).tools)
        assert (await user.get("/api/my/caldav")).status == (404 if disabled else 200)
        assert (await user.post("/api/my/caldav/test")).status == (404 if disabled else 200)
        assert tools & CALDAV_TOOLS == (set() if disabled else CALDAV_TOOLS)
        assert (await user.get("/api/my/pushover")).status == 200
        assert "pushover_send" in tools
