"""``jarvis user``: create users, list them, set a password, turn MFA off (recovery)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from .common import add_data_dir, settings_from


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="manage users")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    create = users.add_parser("create", help="create a user (the first admin, for instance)")
    create.add_argument("username")
    create.add_argument("--admin", action="store_true", help="give the user the admin role")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    add_data_dir(create)
    create.set_defaults(func=run_create)

    listing = users.add_parser("list", help="list users")
    add_data_dir(listing)
    listing.set_defaults(func=run_list)

    passwd = users.add_parser("passwd", help="set a user's password (ends their sessions)")
    passwd.add_argument("username")
    passwd.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    add_data_dir(passwd)
    passwd.set_defaults(func=run_passwd)

    mfa_off = users.add_parser("mfa-off", help="turn a user's MFA off (lost authenticator)")
    mfa_off.add_argument("username")
    add_data_dir(mfa_off)
    mfa_off.set_defaults(func=run_mfa_off)


def _read_password(from_stdin: bool) -> str:
    from ..auth.users import check_new_password
    from . import CommandError

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("the passwords differ")
    try:
        check_new_password(password)
    except Exception as err:
        raise CommandError(getattr(err, "message", str(err))) from None
    return password


def _with_database(args: argparse.Namespace, work: Callable[[Any], Awaitable[int]]) -> int:
    """Open the database the server uses (tables created if missing) and run ``work(db)``."""
    from ..app import create_app, schema_models
    from ..errors import JarvisError
    from ..keys import DATABASE, REGISTRY
    from . import CommandError

    app = create_app(settings_from(args))
    db, reg = app[DATABASE], app[REGISTRY]

    async def main() -> int:
        try:
            await db.setup(schema_models(reg), reg.migrations)
            return await work(db)
        except JarvisError as err:
            raise CommandError(err.message) from None
        finally:
            await db.dispose()

    return asyncio.run(main())


async def _find(db: Any, username: str) -> Any:
    from ..auth.users import credentials_of, normalize_username
    from . import CommandError

    row = await credentials_of(db, normalize_username(username))
    if row is None:
        raise CommandError(f"no user named {username!r}")
    return row


def run_create(args: argparse.Namespace) -> int:
    from ..auth.users import create_user

    password = _read_password(args.password_stdin)

    async def work(db: Any) -> int:
        user = await create_user(db, args.username, password, "admin" if args.admin else "user")
        print(f"created {user.role} {user.username} ({user.id})")
        return 0

    return _with_database(args, work)


def run_list(args: argparse.Namespace) -> int:
    from ..auth.users import list_users

    async def work(db: Any) -> int:
        for u in await list_users(db):
            flags = (
                [u.role]
                + ([] if u.is_active else ["disabled"])
                + (["mfa"] if u.mfa_enabled else [])
            )
            print(f"{u.username}\t{u.id}\t{','.join(flags)}")
        return 0

    return _with_database(args, work)


def run_passwd(args: argparse.Namespace) -> int:
    from ..auth.passwords import PasswordHasher
    from ..auth.users import change_password

    password = _read_password(args.password_stdin)

    async def work(db: Any) -> int:
        row = await _find(db, args.username)
        await change_password(db, row.id, await PasswordHasher().hash(password), None)
        print(f"password of {row.username} set; their sessions have ended")
        return 0

    return _with_database(args, work)


def run_mfa_off(args: argparse.Namespace) -> int:
    from sqlalchemy import update

    from ..auth.sql import users

    async def work(db: Any) -> int:
        row = await _find(db, args.username)
        # The old secret stays encrypted in the vault, unused; the next set-up replaces it.
        async with db.write() as conn:
            await conn.execute(update(users).where(users.c.id == row.id).values(mfa_enabled=False))
        print(f"MFA of {row.username} is off; set it up again after logging in")
        return 0

    return _with_database(args, work)
