"""``jarvis plugin new NAME``: a working plugin package (a tool, a route, tests that pass)."""

from __future__ import annotations

import argparse
import re
from importlib import resources
from pathlib import Path
from string import Template

NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# (template, where it goes in the new package)
FILES = [
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("__init__.py.tmpl", "src/{module}/__init__.py"),
    ("conftest.py.tmpl", "tests/conftest.py"),
    ("test_plugin.py.tmpl", "tests/test_{name}.py"),
]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plugin", help="plugin authoring")
    psub = p.add_subparsers(dest="plugin_command", metavar="ACTION", required=True)
    new = psub.add_parser("new", help="write a new plugin package from the template")
    new.add_argument("name", help="the plugin's name: lower-case letters, digits and _")
    new.add_argument("--dir", type=Path, default=Path("."), help="where to put it (default: .)")
    new.set_defaults(func=run)


def core_requirement() -> str:
    """``>=0.2,<0.3``: this Jarvis's minor series (each 0.x minor may break plugins)."""
    from ..version import __version__

    major, minor = (int(p) for p in __version__.split(".")[:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f">={major}.{minor},<{upper}"


def new_plugin(name: str, parent: Path) -> Path:
    from . import CommandError

    if not NAME.fullmatch(name):
        raise CommandError(f"invalid plugin name {name!r}: use lower-case letters, digits and _, "
                           "starting with a letter")
    dist = f"jarvis-{name.replace('_', '-')}"
    root = parent / dist
    if root.exists():
        raise CommandError(f"{root} exists already")
    values = {"name": name, "module": f"jarvis_{name}", "dist": dist, "core": core_requirement()}
    source = resources.files("jarvis") / "templates" / "plugin"
    for template, target in FILES:
        path = root / target.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template((source / template).read_text()).substitute(values))
    return root


def run(args: argparse.Namespace) -> int:
    root = new_plugin(args.name, args.dir)
    print(f"wrote {root}: cd {root} && pip install -e '.[test]' && pytest")
    return 0
