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


def test_the_app_keys_are_not_public():
    # (still importable from jarvis for the plugins not yet on the plugin context: see
    # NOT_YET_PORTED in test_plugin_boundary.py, which no other file may join)
    for key in ("AUDIT", "CONFIG", "DATABASE", "OUTBOUND_HTTP", "REGISTRY", "RUNTIME",
                "SETTINGS", "VAULT"):
        assert key not in jarvis.__all__ and key not in documented()
