"""Disabling a per-user settings plugin (CalDAV, Pushover) takes its routes and tools away;
the other one stays."""

from __future__ import annotations

import jarvis_caldav
import jarvis_pushover
import pytest
from jarvis.testing.clients import logged_in
from jarvis.testing.plugins import BUILTIN_PROVIDERS, contributions, installed_plugins

# per plugin: its routes, each with the status it answers when enabled (None: anything but
# 404), and its tools
PLUGINS = {
    "caldav": ([("get", "/api/my/caldav", 200), ("post", "/api/my/caldav/test", 200)],
               {"caldav_list_events", "caldav_get_event", "caldav_create_event",
                "caldav_update_event", "caldav_delete_event"}),
    "pushover": ([("get", "/api/my/pushover", 200), ("post", "/api/my/pushover", None),
                  ("delete", "/api/my/pushover", None)], {"pushover_send"}),
}


@pytest.mark.parametrize("name", PLUGINS)
def test_the_plugin_is_installed_as_an_entry_point(name):
    assert installed_plugins()[name] == f"jarvis_{name}"


@pytest.mark.parametrize("disabled", [True, False])
@pytest.mark.parametrize("name, other", [("caldav", "pushover"), ("pushover", "caldav")])
async def test_disabling_a_plugin_removes_its_routes_and_tools(make_app, name, other, disabled):
    off = [*BUILTIN_PROVIDERS, name] if disabled else BUILTIN_PROVIDERS
    async with logged_in(make_app(jarvis_caldav, jarvis_pushover, disable_plugins=off)) as user:
        tools = set(contributions(user).tools)
        routes, own_tools = PLUGINS[name]
        for method, path, enabled in routes:
            status = (await getattr(user, method)(path)).status
            if disabled:
                assert status == 404, (method, path, status)
            else:
                assert status == enabled if enabled else status != 404, (method, path, status)
        assert tools & own_tools == (set() if disabled else own_tools)
        other_routes, other_tools = PLUGINS[other]
        assert (await user.get(other_routes[0][1])).status == 200
        assert other_tools <= tools
