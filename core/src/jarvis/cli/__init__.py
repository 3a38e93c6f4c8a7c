"""The ``jarvis`` command.

Exit status: 0 done; 1 the command ran and found a problem (``doctor``, ``audit verify``); 2 it
could not do what was asked (bad settings or arguments, a refused change), with one line on
stderr saying why; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..db import DatabaseUnavailable
from ..plugins import PluginError
from ..schema import SchemaError
from ..settings import SettingsError
from . import (
    apikeys,
    audit,
    backup,
    credentials,
    db,
    doctor,
    install,
    plugins,
    serve,
    setup_token,
    template,
    users,
)
from .common import CommandError, add_log_level

# Each module adds its subcommand with ``add_parser(subparsers)`` and sets ``func``.
COMMANDS = [serve, plugins, users, apikeys, setup_token, credentials, audit, db, backup, doctor,
            template, install]

__all__ = ["CommandError", "build_parser", "main"]


def _leaves(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [parser]
    return [leaf for s in subs for child in s.choices.values() for leaf in _leaves(child)]


def build_parser() -> argparse.ArgumentParser:
    from ..version import __version__

    parser = argparse.ArgumentParser(
        prog="jarvis", description="Jarvis, a self-hosted AI agent server"
    )
    parser.add_argument("--version", action="version", version=f"jarvis {__version__}")
    add_log_level(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub)
    for leaf in _leaves(parser):
        if leaf is not parser:  # `jarvis --log-level X CMD` and `jarvis CMD --log-level X`
            add_log_level(leaf, default=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except (SettingsError, PluginError, SchemaError, CommandError, DatabaseUnavailable) as err:
        print(f"jarvis: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
