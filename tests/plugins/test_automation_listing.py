"""``jarvis plugins`` lists the automation plugins (installed entry points) with their tools;
the shell's tool only once an admin turned it on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def listed(tmp_path, **env: str) -> dict[str, dict]:
    result = subprocess.run(
        [sys.executable, "-m", "jarvis", "plugins", "--json"], capture_output=True, text=True,
        env={"PATH": os.environ["PATH"], "JARVIS_DATA_DIR": str(tmp_path / "data"), **env},
        timeout=120)
    assert result.returncode == 0, result.stderr
    return {p["name"]: p for p in json.loads(result.stdout)}


@pytest.mark.slow
def test_the_cli_lists_webhooks_subagents_and_shell_with_their_tools(tmp_path):
    plugins = listed(tmp_path, JARVIS_PLUGINS__SHELL__ENABLED="true")
    assert plugins["webhooks"]["tools"] == ["webhook_call"]
    assert plugins["webhooks"]["policies"] == ["webhooks.target"]
    assert "POST /api/hooks/{token}" in plugins["webhooks"]["routes"]
    assert plugins["subagents"]["tools"] == ["ask_agent"]
    assert plugins["shell"]["tools"] == ["shell_run"]
    assert plugins["shell"]["distribution"] == "jarvis-shell"


@pytest.mark.slow
def test_the_shell_offers_nothing_until_enabled(tmp_path):
    assert listed(tmp_path)["shell"]["tools"] == []
