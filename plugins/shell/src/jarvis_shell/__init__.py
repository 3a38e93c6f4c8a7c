"""jarvis-shell: ``shell_run`` for admins, off unless ``[plugins.shell] enabled = true``."""

from __future__ import annotations

from jarvis import Settings, Tool, hookimpl

from .settings import shell_settings
from .tool import ShellRun


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    config = shell_settings(settings)
    return [ShellRun(config)] if config.enabled else []
