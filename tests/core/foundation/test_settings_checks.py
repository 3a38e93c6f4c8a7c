"""Settings that would be silently ignored are errors: unknown plugin sections and keys,
unknown names to disable; database URLs are read with the drivers Jarvis runs on."""

from __future__ import annotations

import pytest
from jarvis import hookimpl
from jarvis.keys import REGISTRY
from jarvis.settings import SettingsError, supported_database_url


@pytest.mark.parametrize(("given", "used"), [
    ("postgresql://jarvis:pw@db/jarvis", "postgresql+asyncpg://jarvis:pw@db/jarvis"),
    ("postgres://jarvis@db:5433/jarvis", "postgresql+asyncpg://jarvis@db:5433/jarvis"),
    ("postgresql+asyncpg://jarvis@db/jarvis", "postgresql+asyncpg://jarvis@db/jarvis"),
    ("sqlite:///data/jarvis.db", "sqlite+aiosqlite:///data/jarvis.db"),
])
def test_database_urls_get_the_async_driver(given, used):
    assert supported_database_url(given) == used


@pytest.mark.parametrize("url", ["mysql://x@db/y", "postgresql+psycopg2://x@db/y", "nonsense"])
def test_other_databases_are_refused(url):
    with pytest.raises(ValueError, match="use sqlite\\+aiosqlite:///"):
        supported_database_url(url)


def test_an_unknown_key_in_a_read_section(make_app):
    with pytest.raises(SettingsError) as info:
        make_app(entrypoints=True, plugins={"web": {"max_byte": 1000}})
    assert str(info.value).startswith(
        "plugin web: invalid setting plugins.web.max_byte: no such setting (known: ")
    assert "max_bytes" in str(info.value)


def test_a_disabled_plugins_section_stays_unread(make_app):
    app = make_app(entrypoints=True, disable_plugins=["web"], plugins={"web": {"max_byte": 1}})
    assert "web" not in app[REGISTRY].plugins


class Quiet:
    """A plugin without settings."""

    @hookimpl
    def register_tools(self, settings):
        return []


def test_a_section_for_a_plugin_without_settings(make_app):
    with pytest.raises(SettingsError) as info:
        make_app(Quiet(), plugins={"Quiet": {"level": 3}})
    assert str(info.value) == ("plugin Quiet: invalid setting plugins.Quiet.level: no such "
                               "setting (plugin Quiet has no settings)")


def test_names_to_disable_must_be_installed(make_app):
    with pytest.raises(SettingsError, match="no plugin named 'webb' is installed"):
        make_app(disable_plugins=["webb"])
    assert make_app(Quiet(), disable_plugins=["Quiet", "anthropic"])
