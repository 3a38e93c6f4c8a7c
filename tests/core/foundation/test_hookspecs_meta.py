"""Every hookspec has a test that implements it and a documented section headed by its exact
signature, so a hook cannot be added, renamed or retyped silently."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from jarvis import hookspecs

ROOT = Path(__file__).resolve().parents[3]


def _specs() -> dict[str, str]:
    out = {}
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        if hasattr(fn, "jarvis_spec"):
            sig = inspect.signature(fn)
            params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
            out[name] = f"{name}({params}) -> {sig.return_annotation}"
    return out


def test_there_are_hookspecs():
    assert set(_specs()) == {
        "register_providers",
        "register_tools",
        "register_tool_sources",
        "register_policies",
        "register_triggers",
        "register_routes",
        "register_models",
        "register_settings_panels",
        "on_startup",
        "on_shutdown",
    }


def test_every_hookspec_has_a_documented_section_with_its_exact_signature():
    doc = (ROOT / "docs" / "hooks.md").read_text()
    headings = re.findall(r"^## `(.+)`$", doc, flags=re.M)
    assert sorted(headings) == sorted(_specs().values())


def test_every_hookspec_is_implemented_in_a_test():
    sources = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    for name in _specs():
        pattern = rf"@hookimpl\s+(?:async )?def\s+{name}\("
        assert re.search(pattern, sources), f"no test implements the hook {name}"


def test_every_hookspec_has_a_docstring():
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        if hasattr(fn, "jarvis_spec"):
            assert fn.__doc__ and fn.__doc__.strip(), name
