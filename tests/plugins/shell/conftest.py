"""Fixtures for the shell plugin: an app with it turned on and the scripted model."""

from __future__ import annotations

import jarvis_shell
from jarvis.testing.apps import app_fixtures, settings_fixture

shell_config = settings_fixture("shell_config")  # parametrize it to change the section
jarvis_plugins, jarvis_settings = app_fixtures(jarvis_shell, "shell_config",
                                               defaults={"enabled": True, "timeout": 10})
