"""Disabling the pushover plugin takes its routes and tool away; another plugin stays."""

from __future__ import annotations

import jarvis_caldav
import jarvis_pushover
import pytest
from jarvis.testing.clients import logged_in
from jarvis.testing.plugins import BUILTIN_PROVIDERS, contributions, installed_plugins


def test_the_plugin_is_installed_as_an_entry_point():
    assert installed_plugins()["pushover"] == "jarvis_pushover"


@pytest.mark.parametrize("disabled", [True, False])
async def test_disabling_pushover_removes_its_routes_and_tool(make_app, disabled):
    off = [*BUILTIN_PROVIDERS, "pushover"] if disabled else BUILTIN_PROVIDERS
    async with logged_in(make_app(jarvis_pushover, jarvis_caldav, disable_plugins=off)) as user:
        tools = set(contributions(user).tools)
        for method in ("get", "post", "delete"):
            status = (await getattr(user, method)("/api/my/pushover")).status
            assert (status == 404) is disabled, (method, status)
        assert ("pushover_send" in tools) is not disabled
        assert (await user.get("/api/my/caldav")).status == 200
        assert "caldav_list_events" in tools
