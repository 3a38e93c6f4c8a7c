"""Fixtures for the shell plugin: an app with it turned on and the scripted model."""

from __future__ import annotations

from typing import Any

import jarvis_shell
import pytest
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin


@pytest.fixture
def shell_config() -> dict[str, Any]:
    return {}


@pytest.fixture
def jarvis_plugins(model) -> list[Any]:
    return [jarvis_shell, ModelPlugin(model)]


@pytest.fixture
def jarvis_settings(shell_config) -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS,
            "plugins": {"shell": {"enabled": True, "timeout": 10, **shell_config}}}
