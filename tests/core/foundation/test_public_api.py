"""The public API: ``jarvis.__all__`` is sorted, and every name in it has one entry in
docs/plugin-api.md, which documents no name that is not exported."""

from __future__ import annotations

import re
from pathlib import Path

import jarvis

DOC = Path(__file__).resolve().parents[3] / "docs" / "plugin-api.md"
ENTRY = re.compile(r"^### `([A-Za-z_][A-Za-z0-9_]*)`$", re.M)


def documented() -> list[str]:
    return ENTRY.findall(DOC.read_text(encoding="utf-8"))


def test_all_is_sorted_and_every_name_exists():
    assert jarvis.__all__ == sorted(jarvis.__all__)
    assert len(set(jarvis.__all__)) == len(jarvis.__all__)
    missing = [name for name in jarvis.__all__ if not hasattr(jarvis, name)]
    assert missing == []


def test_every_exported_name_is_documented_once():
    entries = documented()
    assert sorted(set(jarvis.__all__) - set(entries)) == [], "exported but not documented"
    assert sorted(n for n in set(entries) if entries.count(n) > 1) == [], "documented twice"


def test_every_documented_name_is_exported():
    assert sorted(set(documented()) - set(jarvis.__all__)) == [], "documented but not exported"


def test_no_app_key_or_agent_helper_is_reachable_from_jarvis():
    """The app's keys and the agent helpers of 0.2 are the core's: ``jarvis`` has none of them
    (a plugin uses its PluginContext instead), so no plugin can come to depend on one."""
    from aiohttp import web

    keys = [name for name in dir(jarvis) if isinstance(getattr(jarvis, name), web.AppKey)]
    assert keys == []
    for name in ("AUDIT", "CONFIG", "DATABASE", "OUTBOUND_HTTP", "REGISTRY", "RUNTIME",
                 "SETTINGS", "SUPERVISOR", "VAULT", "load_agent", "list_agents",
                 "agent_run_request"):
        assert not hasattr(jarvis, name) and name not in documented()
