"""The email plugin is an ordinary installable plugin: found by its entry point, and gone
(routes, tools, policy, trigger) when disabled."""

from importlib.metadata import entry_points

import jarvis_email
from jarvis.testing.clients import start_client
from jarvis.testing.plugins import contributions


def test_the_distribution_declares_its_entry_point():
    [found] = [e for e in entry_points(group="jarvis") if e.name == "email"]
    assert found.value == "jarvis_email"


async def test_enabled_plugin_contributes_routes_tools_policy_and_trigger(admin_client):
    registry = contributions(admin_client)
    info = registry.plugins["email"]
    assert info.tools == ["email_list", "email_read", "email_send"]
    assert info.policies == ["email.recipient"]
    assert info.triggers == ["email"]
    assert {t.group for t in map(registry.tools.get, info.tools)} == {"email"}
    assert registry.tools["email_send"].side_effect
    assert registry.tools["email_read"].reads_untrusted
    assert (await admin_client.get("/api/email-whitelist")).status == 200


async def test_disabled_plugin_leaves_nothing_behind(make_app):
    app = make_app(jarvis_email, disable_plugins=["anthropic", "litellm", "email"])
    client = await start_client(app)
    try:
        admin = await client.as_user("admin")
        registry = contributions(app)
        assert "email" not in registry.plugins
        assert not [name for name in registry.tools if name.startswith("email")]
        assert "email.recipient" not in registry.policies
        assert registry.triggers == []
        for path in ("/api/email-whitelist", "/api/email-accounts"):
            assert (await admin.get(path)).status == 404
        plugins = await (await admin.get("/api/plugins")).json()
        assert "email" not in [p["name"] for p in plugins]
    finally:
        await client.close()
