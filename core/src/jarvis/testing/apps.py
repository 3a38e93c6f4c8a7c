"""Fixtures for a test app of one plugin: in its tests' conftest::

    caldav_section = settings_fixture("caldav_section")
    jarvis_plugins, jarvis_settings = app_fixtures(jarvis_caldav, "caldav_section", defaults=FAST)

A test changes the plugin's section by parametrizing the settings fixture, directly
(``@pytest.mark.parametrize("caldav_section", [{...}])``) or indirectly.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import pytest

from .plugins import BUILTIN_PROVIDERS, ModelPlugin


def settings_fixture(name: str) -> Any:
    """A fixture ``name``: ``{}``, or the dict an indirect parametrization gives it."""

    @pytest.fixture(name=name)
    def settings(request: pytest.FixtureRequest) -> dict[str, Any]:
        return dict(getattr(request, "param", {}))

    return settings


def app_fixtures(plugin: ModuleType, settings: str, *, defaults: Mapping[str, Any] | None = None,
                 model: bool = True, whole: bool = False) -> tuple[Any, Any]:
    """The fixtures ``jarvis_plugins`` (``plugin``, with the scripted ``model`` unless
    ``model=False``) and ``jarvis_settings`` (the built-in providers off; the plugin's section
    is ``defaults`` updated with the fixture named ``settings``, or with ``whole`` that
    fixture updates the whole settings instead)."""
    name = plugin.__name__.removeprefix("jarvis_")

    def plugins(**given: Any) -> list[Any]:
        return [plugin, ModelPlugin(given["model"])] if model else [plugin]

    def app_settings(**given: Any) -> dict[str, Any]:
        if whole:
            return {"disable_plugins": BUILTIN_PROVIDERS, **given[settings]}
        return {"disable_plugins": BUILTIN_PROVIDERS,
                "plugins": {name: {**(defaults or {}), **given[settings]}}}

    # pytest sees what a fixture uses in its signature (a parametrized one must be seen there)
    _uses(plugins, ["model"] if model else [])
    _uses(app_settings, [settings])
    return pytest.fixture(name="jarvis_plugins")(plugins), pytest.fixture(
        name="jarvis_settings")(app_settings)


def _uses(fixture: Any, names: list[str]) -> None:
    fixture.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names])
