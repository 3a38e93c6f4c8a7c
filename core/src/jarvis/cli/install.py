"""``jarvis install PKG`` and ``jarvis uninstall PKG``: into the environment Jarvis runs from.

Like ``llm install``: the running interpreter's own installer (uv when it is on PATH, pip
otherwise), so a plugin lands where ``jarvis serve`` will find it, whatever ``pip`` is first on
PATH. Restart the server afterwards.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("install", help="install packages (plugins) into Jarvis's environment")
    p.add_argument("packages", nargs="+", metavar="PKG", help="names, paths or wheel files")
    p.add_argument("-U", "--upgrade", action="store_true", help="upgrade them if installed")
    p.set_defaults(func=run_install)
    u = sub.add_parser("uninstall", help="remove packages from Jarvis's environment")
    u.add_argument("packages", nargs="+", metavar="PKG")
    u.set_defaults(func=run_uninstall)


def installer(action: str) -> list[str]:
    """The command that installs into this interpreter's environment."""
    uv = shutil.which("uv")
    if uv:
        return [uv, "pip", action, "--python", sys.executable]
    confirm = ["-y"] if action == "uninstall" else []
    return [sys.executable, "-m", "pip", action, *confirm]


def _call(cmd: list[str]) -> int:
    from . import CommandError

    done = subprocess.run(cmd, check=False)  # noqa: S603 - the user's own packages
    if done.returncode:
        raise CommandError(f"{' '.join(cmd[:3])} failed (exit status {done.returncode})")
    return 0


def run_install(args: argparse.Namespace) -> int:
    cmd = installer("install") + (["--upgrade"] if args.upgrade else []) + args.packages
    _call(cmd)
    print("installed; restart the server to load new plugins (jarvis plugins lists them)")
    return 0


def run_uninstall(args: argparse.Namespace) -> int:
    _call(installer("uninstall") + args.packages)
    print("uninstalled; restart the server")
    return 0
