"""``jarvis backup PATH`` and ``jarvis restore PATH``: the database and the vault key file."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_data_dir, settings_from

KEY_WARNING = ("the archive holds the vault key: anyone who has it can read every stored "
               "credential; keep it as safe as the server itself")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="back up the database and the key file (server may run)")
    p.add_argument("path", type=Path, help="the archive to write (a .tar.gz)")
    add_data_dir(p)
    p.set_defaults(func=run_backup)
    r = sub.add_parser("restore", help="restore a backup (stop the server first)")
    r.add_argument("path", type=Path, help="an archive written by jarvis backup")
    r.add_argument("--force", action="store_true",
                   help="restore although a server beat its heart within the last minute")
    add_data_dir(r)
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from ..services.backup import BackupError, backup
    from ..version import __version__
    from . import CommandError

    settings = settings_from(args)
    try:
        manifest = backup(settings.resolved_database_url, settings.data_dir, args.path,
                          version=__version__)
    except BackupError as err:
        raise CommandError(str(err)) from None
    print(f"backed up the {manifest['database']} database and the key file to {args.path}")
    print(f"warning: {KEY_WARNING}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from ..services.backup import BackupError, restore
    from . import CommandError

    settings = settings_from(args)
    try:
        manifest = restore(args.path, settings.resolved_database_url, settings.data_dir,
                           force=args.force)
    except BackupError as err:
        raise CommandError(str(err)) from None
    print(f"restored the backup of {manifest['created_at']} (Jarvis {manifest['jarvis']}); "
          "start the server to bring its schema up to date")
    return 0
