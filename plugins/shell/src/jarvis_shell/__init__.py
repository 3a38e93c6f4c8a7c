"""jarvis-shell: ``shell_run`` for admins, off unless ``[plugins.shell] enabled = true``."""

from __future__ import annotations

from jarvis import PluginContext, Tool, hookimpl

from .settings import ShellSettings
from .tool import ShellRun


@hookimpl
def register_tools(context: PluginContext) -> list[Tool]:
    config = context.plugin_settings(ShellSettings)
    return [ShellRun(config)] if config.enabled else []
