"""The core's layers: a module imports from its own layer and the layers below it, never from
one above, at import time or inside a function. Elsewhere an import under ``TYPE_CHECKING``
may name a higher layer's type for an annotation; the services, the database and the models
may not: they import nothing from a higher layer and nothing from aiohttp at all."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import jarvis

CORE = Path(jarvis.__file__).resolve().parent

# Lowest first. A module belongs to the longest prefix listed (``jarvis.chat.routes`` is in the
# web layer, the rest of ``jarvis.chat`` in the subsystems'); every core module is in one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", (
        "jarvis.errors", "jarvis.timeutil", "jarvis.settings", "jarvis.settings_sample",
        "jarvis.private", "jarvis.schema", "jarvis.markers", "jarvis.panels", "jarvis.phrases",
        "jarvis.jsoninput", "jarvis.logs", "jarvis.paths", "jarvis.security",
        "jarvis.providers", "jarvis.cron", "jarvis.version",
        "jarvis.background", "jarvis.blocking", "jarvis.changes")),
    ("data", ("jarvis.db", "jarvis.models", "jarvis.migrations", "jarvis.pagination",
              "jarvis.entries", "jarvis.owned", "jarvis.server_account")),
    # with the types the services share with the runtime and plugins: tools, policies, runs
    ("services", ("jarvis.services", "jarvis.tools", "jarvis.policy", "jarvis.run_requests")),
    # the app keys: the runtime and what is above it reach the app's parts through them
    ("runtime", ("jarvis.runtime", "jarvis.keys")),
    ("subsystems", ("jarvis.chat", "jarvis.scheduling", "jarvis.triggers")),
    ("plugin host", ("jarvis.context", "jarvis.hookspecs", "jarvis.hookcalls")),
    ("web", (
        "jarvis.web", "jarvis.routes", "jarvis.chat.routes", "jarvis.chat.socket_auth",
        "jarvis.scheduling.routes", "jarvis.auth", "jarvis.middleware", "jarvis.openapi",
        "jarvis.shared_routes", "jarvis.metrics", "jarvis.plugins", "jarvis.ui")),
    ("app", ("jarvis", "jarvis.__main__", "jarvis.app", "jarvis.wiring", "jarvis.cli")),
    ("test kit", ("jarvis.testing",)),
]
# Below the runtime for the type checker too, and without aiohttp: no HTTP in the services.
STRICT = ("jarvis.services", "jarvis.db", "jarvis.models")
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    """The layer of the longest prefix naming ``module`` (``jarvis`` names only the package)."""
    found = [(len(prefix), name) for name, prefixes in LAYERS for prefix in prefixes
             if module == prefix or (prefix != "jarvis" and _matches(module, prefix))]
    return max(found)[1] if found else None


def _module_name(path: Path, core: Path) -> str:
    parts = list(path.relative_to(core.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str, core: Path) -> bool:
    base = core.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement, and whether it is only for the type checker."""
    def walk(node: ast.AST, typing_only: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom,
                                                                  bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, typing_only
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for stmt in child.body:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), True)
                for stmt in child.orelse:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), typing_only)
            else:
                yield from walk(child, typing_only)
    yield from walk(tree, False)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool,
             core: Path) -> list[str]:
    """The modules an import statement reaches: ``from . import x`` reaches ``pkg.x``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        source = ".".join([*base, *([node.module] if node.module else [])])
    else:
        source = node.module or ""
    if not source.startswith("jarvis"):
        return [source]
    found = [f"{source}.{alias.name}" for alias in node.names
             if _is_module(f"{source}.{alias.name}", core)]
    return found if len(found) == len(node.names) else [*found, source]


def violations(core: Path = CORE) -> list[str]:
    """``file:line: <module> (<layer>) imports <target> (<layer>)`` for each upward import."""
    found = []
    for path in sorted(core.rglob("*.py")):
        module = _module_name(path, core)
        where = path.relative_to(core.parent).as_posix()
        own = layer_of(module)
        if own is None:
            found.append(f"{where}: {module} is in no layer (add it to LAYERS)")
            continue
        strict = any(_matches(module, prefix) for prefix in STRICT)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, typing_only in _imports(tree):
            for target in _targets(node, module, path.name == "__init__.py", core):
                if strict and _matches(target, "aiohttp"):
                    found.append(f"{where}:{node.lineno}: {module} imports {target} "
                                 f"(no aiohttp in the services, db or models)")
                    continue
                if not _matches(target, "jarvis") or (typing_only and not strict):
                    continue
                theirs = layer_of(target)
                if theirs is None:
                    continue  # reported at its own file
                if RANK[theirs] > RANK[own]:
                    found.append(f"{where}:{node.lineno}: {module} ({own}) imports {target} "
                                 f"({theirs})")
    return found


def test_no_core_module_imports_from_a_higher_layer():
    found = violations()
    assert found == [], "imports against the layer order:\n" + "\n".join(found)


def test_the_check_finds_each_kind_of_upward_import(tmp_path):
    core = tmp_path / "jarvis"
    for package in ("services", "runtime", "routes", "chat"):
        (core / package).mkdir(parents=True)
        (core / package / "__init__.py").write_text("")
    (core / "__init__.py").write_text("")
    (core / "runtime" / "runner.py").write_text("")
    (core / "chat" / "routes.py").write_text("")
    (core / "services" / "agents.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from ..runtime import runner\n"
        "if TYPE_CHECKING:\n"
        "    from aiohttp import web\n"
        "    from jarvis.chat.routes import x\n")
    (core / "runtime" / "loop.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import runner\n"
        "from ..services import agents\n"
        "if TYPE_CHECKING:\n"
        "    from ..routes import y\n"
        "def later():\n"
        "    from ..chat.routes import z\n")
    (core / "stray.py").write_text("")
    found = violations(core)
    assert sorted(found) == sorted([
        "jarvis/services/agents.py:2: jarvis.services.agents (services) imports "
        "jarvis.runtime.runner (runtime)",
        "jarvis/services/agents.py:4: jarvis.services.agents imports aiohttp "
        "(no aiohttp in the services, db or models)",
        "jarvis/services/agents.py:5: jarvis.services.agents (services) imports "
        "jarvis.chat.routes (web)",
        "jarvis/runtime/loop.py:7: jarvis.runtime.loop (runtime) imports jarvis.chat.routes (web)",
        "jarvis/stray.py: jarvis.stray is in no layer (add it to LAYERS)",
    ])


def test_every_layer_prefix_names_a_core_module():
    missing = [prefix for _, prefixes in LAYERS for prefix in prefixes
               if not _is_module(prefix, CORE)]
    assert missing == [], "no such module: take it out of LAYERS"
