"""Disabling the pushover plugin takes its routes and tool away; another plugin stays."""

from __future__ import annotations

from importlib.metadata import entry_points

import jarvis_caldav
import jarvis_pushover
import pytest
from jarvis.keys import REGISTRY

from tests.support.identity import start_client

from .conftest import NO_PROVIDERS


def test_the_plugin_is_installed_as_an_entry_point():
    found = {ep.name: ep.value for ep in entry_points(group="jarvis")}
    assert found["pushover"] == "jarvis_pushover"


@pytest.mark.parametrize("disabled", [True, False])
async def test_disabling_pushover_removes_its_routes_and_tool(make_app, disabled):
    off = [*NO_PROVIDERS, "pushover"] if disabled else NO_PROVIDERS
    app = make_app(jarvis_pushover, jarvis_caldav, disable_plugins=off)
    client = await start_client(app)
    try:
        user = await client.as_user("user")
        tools = set(app[REGISTRY].tools)
        for method in ("get", "post", "delete"):
            status = (await getattr(user, method)("/api/my/pushover")).status
            assert (status == 404) is disabled, (method, status)
        assert ("pushover_send" in tools) is not disabled
        assert (await user.get("/api/my/caldav")).status == 200
        assert "caldav_list_events" in tools
    finally:
        await client.close()
