"""`jarvis plugins`: the model providers are listed as plugins like any other."""

from __future__ import annotations

import json

from .commands import Commands


async def test_the_providers_are_plugins_like_any_other(jarvis_cli: Commands):
    done = await jarvis_cli.run("plugins", "--json", JARVIS_DISABLE_PLUGINS="")
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert rows["anthropic"]["distribution"] == "jarvis-anthropic"
    assert rows["anthropic"]["providers"] == ["anthropic"]
    assert rows["litellm"]["distribution"] == "jarvis-litellm"
    assert rows["litellm"]["providers"] == ["openrouter", "openai", "ollama"]
    assert rows["anthropic"]["hooks"] == rows["litellm"]["hooks"] == ["register_providers"]
    assert set(rows["anthropic"]) == set(rows["email"])  # the same shape of row


async def test_load_plugins_lists_only_the_plugins_named(jarvis_cli: Commands):
    done = await jarvis_cli.run("plugins", "--json", JARVIS_LOAD_PLUGINS="email")
    assert done.returncode == 0, done.stderr
    assert [row["name"] for row in json.loads(done.stdout)] == ["email"]
