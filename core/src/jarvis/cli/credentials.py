"""``jarvis credentials rotate``: re-encrypt every credential under a new master password, or
move between the master password and a key file. Stop the server first; a rerun after an
interruption finishes the job."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from .common import add_data_dir, settings_from


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("credentials", help="the encrypted credential store")
    actions = p.add_subparsers(dest="credentials_action", metavar="ACTION", required=True)
    r = actions.add_parser(
        "rotate", help="re-encrypt every credential under a new master password (or key file)",
        description="Re-encrypt every credential under a new master password (or a new key "
        "file). Stop the server first. The current password comes from JARVIS_MASTER_PASSWORD; "
        "if the command is interrupted, run it again with the same new password to finish.",
    )
    r.add_argument("--to-key-file", action="store_true",
                   help="use a new random key file in the data folder instead of a password")
    r.add_argument("--new-password-stdin", action="store_true",
                   help="read the new master password from standard input")
    r.add_argument("--batch-size", type=int, default=100,
                   help="credentials re-encrypted per transaction (default 100)")
    r.add_argument("--batch-delay", type=float, default=0.0, help=argparse.SUPPRESS)
    add_data_dir(r)
    r.set_defaults(func=run_rotate)


def _new_password(args: argparse.Namespace) -> str:
    from ..services.vault_keys import VaultError

    if args.new_password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("New master password: ")
        if getpass.getpass("Repeat it: ") != password:
            raise VaultError("the two passwords differ")
    else:
        raise VaultError("give the new password with --new-password-stdin or run in a terminal")
    if not password:
        raise VaultError("the new master password is empty")
    return password


def run_rotate(args: argparse.Namespace) -> int:
    from ..db import Database
    from ..services import crypto
    from ..services.vault_keys import VaultError
    from ..services.vault_rotate import rotate

    if args.to_key_file and args.new_password_stdin:
        raise VaultError("--to-key-file and --new-password-stdin exclude each other")
    if args.batch_size < 1:
        raise VaultError("--batch-size must be at least 1")
    settings = settings_from(args)
    current = settings.master_password.get_secret_value() if settings.master_password else None
    new_password = None if args.to_key_file else _new_password(args)

    async def go():
        db = Database(settings.resolved_database_url)
        try:
            if not await has_table(db, "vault_state"):
                raise VaultError("there is no credential store yet: nothing to rotate")
            return await rotate(
                db, settings.data_dir, current_password=current, new_password=new_password,
                batch_size=args.batch_size, batch_delay=args.batch_delay,
            )
        finally:
            await db.dispose()

    result = asyncio.run(go())
    how = "resumed and finished" if result.resumed else "finished"
    if result.mode == "password":
        print(f"Rotation {how}: {result.rotated} credentials re-encrypted under the new master "
              "password. Set JARVIS_MASTER_PASSWORD to it before starting the server.")
    else:
        print(f"Rotation {how}: {result.rotated} credentials re-encrypted under the key file "
              f"{crypto.key_path(settings.data_dir)} (back it up). Unset JARVIS_MASTER_PASSWORD "
              "before starting the server.")
    return 0


async def has_table(db, name: str) -> bool:
    """Whether the server has created this table yet (commands never create tables); an
    unreachable database is a one-line error here."""
    from sqlalchemy import inspect

    async with db.connect() as conn:
        return await conn.run_sync(lambda sync: inspect(sync).has_table(name))
