"""Plugins, the example and the plugins' tests use only the documented API: ``jarvis`` itself
(its ``__all__``), plus the test kit ``jarvis.testing`` in tests; never an app key, the app's
state (``app[...]``, ``request.app``) or another ``jarvis.*`` module."""

from __future__ import annotations

import ast
from pathlib import Path

import jarvis
from aiohttp import web
from jarvis import keys

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "plugins", ROOT / "examples"]
TESTS = [ROOT / "tests" / "plugins", *sorted((ROOT / "examples").glob("*/tests"))]
APP_KEYS = {name for name, value in vars(keys).items() if isinstance(value, web.AppKey)}
# The public modules of the test kit (docs/testing-plugins.md); a plugin's tests use no other.
TEST_KIT = {"jarvis.testing", *(f"jarvis.testing.{name}" for name in (
    "plugins", "clients", "scripted", "script", "chat", "polling", "tools", "servers", "threaded",
    "dav", "apps", "pages", "smtp_sink", "loopback", "pytest_plugin", "fake_anthropic",
    "fake_openai", "fake_ollama", "fake_openrouter", "fake_pushover", "fake_telegram",
    "fake_vendor", "fake_embeddings", "fake_searxng", "hostile"))}
# what Jarvis's aiohttp application holds that belongs to the core (a test's own loopback fake
# is an aiohttp application too: there only ``client.app[...]`` and ``.app.get`` count)
APP_INTERNALS = {"get", "router", "cleanup_ctx", "on_startup", "on_shutdown", "on_cleanup",
                 "middlewares", "config_dict"}


def _is_test(path: Path) -> bool:
    return any(path.is_relative_to(t) for t in TESTS)


def _is_app(node: ast.expr) -> bool:
    """``app``, ``x.app`` (an aiohttp application)."""
    return (isinstance(node, ast.Name) and node.id == "app") or (
        isinstance(node, ast.Attribute) and node.attr == "app")


def violations(path: Path, root: Path = ROOT) -> list[str]:
    """Every use of the core's internals in one file, as ``file:line: what``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    allowed = TEST_KIT if _is_test(path) else set()
    found = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{path.relative_to(root)}:{node.lineno}: {what}")  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jarvis.") and alias.name not in allowed:
                    flag(node, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module = node.module
            if module.startswith("jarvis.") and module not in allowed:
                flag(node, f"from {module} import ...")
            elif module == "jarvis":
                for alias in node.names:
                    if alias.name in APP_KEYS:
                        flag(node, f"app key {alias.name}")
                    elif alias.name not in jarvis.__all__:
                        flag(node, f"from jarvis import {alias.name} (not in jarvis.__all__)")
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "jarvis" and (
                    node.attr not in jarvis.__all__):
                flag(node, f"jarvis.{node.attr} (not in jarvis.__all__)")
            if node.attr == "app" and isinstance(node.value, ast.Name) and (
                    node.value.id == "request"):
                flag(node, "request.app")
            if node.attr in APP_INTERNALS and _is_app(node.value) and (
                    not _is_test(path) or node.attr == "get"):
                flag(node, f"app.{node.attr}")
        elif isinstance(node, ast.Subscript) and _is_app(node.value) and (
                not _is_test(path) or isinstance(node.value, ast.Attribute)):
            flag(node, "app[...]")
    return found


def _files() -> list[Path]:
    return sorted({p for root in [*SOURCES, *TESTS] for p in root.rglob("*.py")
                   if ".venv" not in p.parts and "node_modules" not in p.parts})


def test_plugins_examples_and_their_tests_use_only_the_documented_api():
    found = [v for path in _files() for v in violations(path)]
    assert found == [], "uses outside the documented API:\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_use(tmp_path):
    sample = tmp_path / "plugins" / "bad" / "mod.py"
    sample.parent.mkdir(parents=True)
    sample.write_text(
        "import jarvis.keys\n"
        "from jarvis.runtime import runner\n"
        "from jarvis import DATABASE, Tool\n"
        "import jarvis\n"
        "x = jarvis.plugins\n"
        "def handler(request):\n"
        "    return request.app[DATABASE], request.app.get(1), client.app.router\n",
        encoding="utf-8")
    found = violations(sample, tmp_path)
    lines = sorted(int(v.split(":")[1]) for v in found)
    assert "plugins/bad/mod.py:1: import jarvis.keys" in found
    assert "plugins/bad/mod.py:2: from jarvis.runtime import ..." in found
    assert "plugins/bad/mod.py:3: app key DATABASE" in found
    assert "plugins/bad/mod.py:5: jarvis.plugins (not in jarvis.__all__)" in found
    assert {"request.app", "app[...]", "app.get", "app.router"} <= {
        v.split(": ", 1)[1] for v in found}
    assert 4 not in lines and 6 not in lines
