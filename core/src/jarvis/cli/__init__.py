"""The ``jarvis`` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from ..plugins import PluginError
from ..schema import SchemaError
from ..settings import SettingsError
from . import audit, backup, credentials, db, install, plugins, serve, template, users

# Each module adds its subcommand with ``add_parser(subparsers)`` and sets ``func``.
COMMANDS = [serve, plugins, users, credentials, audit, db, backup, template, install]


class CommandError(Exception):
    """A command failed in a way the user can fix; the message says how."""


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="jarvis", description="Jarvis, a self-hosted AI agent server"
    )
    parser.add_argument("--version", action="version", version=f"jarvis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return args.func(args) or 0
    except (SettingsError, PluginError, SchemaError, CommandError) as err:
        print(f"jarvis: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
