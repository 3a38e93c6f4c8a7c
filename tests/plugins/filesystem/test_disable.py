"""Disabling a plugin takes its routes, tools and policies away; the other plugin stays."""

from __future__ import annotations

import jarvis_filesystem
import jarvis_web
import pytest
from jarvis.testing.clients import logged_in
from jarvis.testing.plugins import BUILTIN_PROVIDERS, contributions, installed_plugins


def test_both_plugins_are_installed_as_entry_points():
    found = installed_plugins()
    assert found["web"] == "jarvis_web"
    assert found["filesystem"] == "jarvis_filesystem"


@pytest.mark.parametrize(("disabled", "gone", "kept"), [
    ("filesystem", ("/api/filesystem-whitelist", {"fs_list", "fs_read", "fs_write", "fs_delete"},
                    "fs.path"),
     ("/api/web-whitelist", {"web_fetch"}, "web.url")),
    ("web", ("/api/web-whitelist", {"web_fetch"}, "web.url"),
     ("/api/filesystem-whitelist", {"fs_read"}, "fs.path")),
])
async def test_disabling_a_plugin_removes_its_routes_and_tools(make_app, disabled, gone, kept):
    app = make_app(jarvis_web, jarvis_filesystem, disable_plugins=[*BUILTIN_PROVIDERS, disabled])
    async with logged_in(app, "admin") as admin:
        registry = contributions(app)
        route, tools, resource = gone
        assert (await admin.get(route)).status == 404
        assert not tools & set(registry.tools)
        assert resource not in registry.policies
        assert disabled not in registry.plugins
        route, tools, resource = kept
        assert (await admin.get(route)).status == 200
        assert tools <= set(registry.tools)
        assert resource in registry.policies
