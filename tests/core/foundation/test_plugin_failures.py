"""A plugin that fails at import or in a registration hook stops start-up with one message
naming it and its distribution, or (``skip_failing_plugins``) is left out with a warning; the
allow-list ``load_plugins`` beside ``disable_plugins``."""

from __future__ import annotations

import logging
import sys

import pytest
from jarvis import hookimpl
from jarvis.keys import REGISTRY
from jarvis.plugins import PluginError
from jarvis.settings import SettingsError

from .test_plugins import ToolPlugin


class Exploding:
    @hookimpl
    def register_tools(self, settings):
        raise RuntimeError("the config file is gone")


@pytest.fixture
def broken_distribution(tmp_path, monkeypatch):
    """An installed distribution ``jarvis-broken`` whose plugin module fails to import."""
    dist = tmp_path / "jarvis_broken-1.2.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: jarvis-broken\nVersion: 1.2\n")
    (dist / "entry_points.txt").write_text("[jarvis]\nbroken = jarvis_broken_plugin\n")
    (tmp_path / "jarvis_broken_plugin.py").write_text("import no_such_module_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("jarvis_broken_plugin", None)


def test_a_registration_hook_that_raises_names_the_plugin(make_app):
    with pytest.raises(PluginError) as info:
        make_app(ToolPlugin(), Exploding())
    assert str(info.value) == (
        "plugin Exploding: register_tools failed: RuntimeError: the config file is gone "
        "(set JARVIS_SKIP_FAILING_PLUGINS=true to start without it, or "
        "JARVIS_DISABLE_PLUGINS=Exploding)")


async def test_skipping_leaves_the_failing_plugin_out_with_a_warning(make_client, caplog):
    caplog.set_level(logging.WARNING, logger="jarvis.plugins")
    client = await make_client(ToolPlugin(), Exploding(), skip_failing_plugins=True)
    registry = client.app[REGISTRY]
    assert "Exploding" not in registry.plugins
    assert list(registry.tools) == ["echo_text"]
    assert (await client.get("/health")).status == 200
    (warning,) = [r.getMessage() for r in caplog.records if "Exploding" in r.getMessage()]
    assert warning.startswith("plugin Exploding: register_tools failed: RuntimeError")
    assert warning.endswith("starting without it")


def test_a_plugin_that_fails_to_import_names_plugin_and_distribution(make_app,
                                                                    broken_distribution):
    with pytest.raises(PluginError) as info:
        make_app(entrypoints=True)
    assert str(info.value).startswith(
        "plugin broken (jarvis-broken 1.2) failed to import: ModuleNotFoundError: No module "
        "named 'no_such_module_anywhere' (set JARVIS_SKIP_FAILING_PLUGINS=true")


async def test_a_plugin_that_fails_to_import_can_be_skipped(make_client, broken_distribution,
                                                           caplog):
    client = await make_client(entrypoints=True, skip_failing_plugins=True)
    names = set(client.app[REGISTRY].plugins)
    assert "broken" not in names and {"hello", "anthropic", "litellm"} <= names
    assert any("plugin broken (jarvis-broken 1.2) failed to import" in r.getMessage()
               for r in caplog.records)


def test_load_plugins_loads_only_those_named(make_app):
    app = make_app(entrypoints=True, load_plugins=["hello", "anthropic"])
    assert set(app[REGISTRY].plugins) == {"hello", "anthropic"}
    assert list(app[REGISTRY].providers) == ["anthropic"]


def test_an_empty_load_plugins_loads_none(make_app):
    app = make_app(entrypoints=True, load_plugins=[])
    assert app[REGISTRY].plugins == {} and app[REGISTRY].providers == {}


def test_load_plugins_with_an_unknown_name_is_a_settings_error(make_app):
    with pytest.raises(SettingsError, match="invalid setting load_plugins: no plugin named "
                                            "'nope' is installed"):
        make_app(entrypoints=True, load_plugins=["hello", "nope"])


def test_load_plugins_comes_from_the_environment_split_at_commas(monkeypatch):
    from jarvis.settings import load_settings

    monkeypatch.setenv("JARVIS_LOAD_PLUGINS", "email, anthropic")
    assert load_settings().load_plugins == ["email", "anthropic"]


def test_a_moved_provider_setting_says_where_it_went(monkeypatch):
    from jarvis.settings import load_settings

    monkeypatch.setenv("JARVIS_ANTHROPIC_BASE_URL", "https://gateway.example")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value) == (
        "invalid setting anthropic_base_url (environment JARVIS_ANTHROPIC_BASE_URL): it is now "
        "plugins.anthropic.base_url (environment JARVIS_PLUGINS__ANTHROPIC__BASE_URL)")
