"""Disabling the caldav plugin takes its routes and tools away; another plugin stays."""

from __future__ import annotations

from importlib.metadata import entry_points

import jarvis_caldav
import jarvis_pushover
import pytest
from jarvis.keys import REGISTRY

from tests.support.identity import start_client

from .conftest import NO_PROVIDERS

CALDAV_TOOLS = {"caldav_list_events", "caldav_get_event", "caldav_create_event",
                "caldav_update_event", "caldav_delete_event"}


def test_the_plugin_is_installed_as_an_entry_point():
    found = {ep.name: ep.value for ep in entry_points(group="jarvis")}
    assert found["caldav"] == "jarvis_caldav"


@pytest.mark.parametrize("disabled", [True, False])
async def test_disabling_caldav_removes_its_routes_and_tools(make_app, disabled):
    off = [*NO_PROVIDERS, "caldav"] if disabled else NO_PROVIDERS
    app = make_app(jarvis_caldav, jarvis_pushover, disable_plugins=off)
    client = await start_client(app)
    try:
        user = await client.as_user("user")
        tools = set(app[REGISTRY].tools)
        assert (await user.get("/api/my/caldav")).status == (404 if disabled else 200)
        assert (await user.post("/api/my/caldav/test")).status == (404 if disabled else 200)
        assert tools & CALDAV_TOOLS == (set() if disabled else CALDAV_TOOLS)
        assert (await user.get("/api/my/pushover")).status == 200
        assert "pushover_send" in tools
    finally:
        await client.close()
