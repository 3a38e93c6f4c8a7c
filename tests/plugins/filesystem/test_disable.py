"""Disabling a plugin takes its routes, tools and policies away; the other plugin stays."""

from __future__ import annotations

from importlib.metadata import entry_points

import jarvis_filesystem
import jarvis_web
import pytest
from jarvis.keys import REGISTRY

from tests.support.identity import start_client

from .conftest import NO_PROVIDERS


def test_both_plugins_are_installed_as_entry_points():
    found = {ep.name: ep.value for ep in entry_points(group="jarvis")}
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
    app = make_app(jarvis_web, jarvis_filesystem, disable_plugins=[*NO_PROVIDERS, disabled])
    client = await start_client(app)
    try:
        admin = await client.as_user("admin")
        registry = app[REGISTRY]
        route, tools, resource = gone
        assert (await admin.get(route)).status == 404
        assert not tools & set(registry.tools)
        assert resource not in registry.policies
        assert disabled not in registry.plugins
        route, tools, resource = kept
        assert (await admin.get(route)).status == 200
        assert tools <= set(registry.tools)
        assert resource in registry.policies
    finally:
        await client.close()
