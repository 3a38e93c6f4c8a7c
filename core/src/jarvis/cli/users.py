"""``jarvis user``: create, list, delete users, set a role or a password, turn MFA off, lift a
lockout.

Each action calls the account service the admin API calls, audited as done from the command
line; the last active admin stays, as through the API.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from .common import CommandError, add_data_dir, find_user, with_services


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("user", help="manage users")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)

    create = users.add_parser("create", help="create a user (the first admin, for instance)")
    create.add_argument("username")
    create.add_argument("--admin", action="store_true", help="give the user the admin role")
    _password_stdin(create)
    create.set_defaults(func=run_create)

    listing = users.add_parser("list", help="list users")
    listing.set_defaults(func=run_list)

    passwd = users.add_parser("passwd", help="set a user's password (ends their sessions)")
    passwd.add_argument("username")
    _password_stdin(passwd)
    passwd.set_defaults(func=run_passwd)

    role = users.add_parser("role", help="make a user an admin or a plain user")
    role.add_argument("username")
    role.add_argument("role", choices=["admin", "user"])
    role.set_defaults(func=run_role)

    delete = users.add_parser("delete", help="delete a user with their sessions and API keys")
    delete.add_argument("username")
    delete.set_defaults(func=run_delete)

    mfa_off = users.add_parser("mfa-off", help="turn a user's MFA off (lost authenticator)")
    mfa_off.add_argument("username")
    mfa_off.set_defaults(func=run_mfa_off)

    unlock = users.add_parser("unlock", help="lift a user's lockout after wrong passwords")
    unlock.add_argument("username")
    unlock.set_defaults(func=run_unlock)

    for action in users.choices.values():
        add_data_dir(action)


def _password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true",
        help="read the password from standard input (the default when it is no terminal)",
    )


def read_password(from_stdin: bool, username: str | None = None) -> str:
    """The new password: a line of standard input (asked for, or not a terminal), else typed
    twice at a prompt; a weak one is refused."""
    from ..auth.passwords import weakness

    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise CommandError("no password on standard input: pipe one in or run in a terminal")
        password = line.rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise CommandError("the passwords differ")
    problem = weakness(password, username)
    if problem is not None:
        raise CommandError(f"password: {problem}")
    return password


def run_create(args: argparse.Namespace) -> int:
    from ..auth import accounts
    from ..keys import IDENTITY

    password = read_password(args.password_stdin, args.username)

    async def work(app: Any) -> int:
        user = await accounts.create_user(
            app[IDENTITY], accounts.CONSOLE, args.username, password,
            "admin" if args.admin else "user",
        )
        print(f"created {user.role} {user.username} ({user.id})")
        return 0

    return with_services(args, work)


def run_list(args: argparse.Namespace) -> int:
    from ..auth.users import list_users
    from ..keys import DATABASE

    async def work(app: Any) -> int:
        for u in await list_users(app[DATABASE]):
            flags = (
                [u.role]
                + ([] if u.is_active else ["disabled"])
                + (["mfa"] if u.mfa_enabled else [])
            )
            print(f"{u.username}\t{u.id}\t{','.join(flags)}")
        return 0

    return with_services(args, work)


def _change(args: argparse.Namespace, act: Callable[[Any, str], Awaitable[Any]],
            said: str) -> int:
    """Apply ``act(identity, user_id)`` to the named user, then print ``said`` (``{name}``)."""
    from ..keys import IDENTITY

    async def work(app: Any) -> int:
        row = await find_user(app, args.username)
        await act(app[IDENTITY], row.id)
        print(said.format(name=row.username))
        return 0

    return with_services(args, work)


def run_passwd(args: argparse.Namespace) -> int:
    from ..auth.accounts import CONSOLE, update_user

    password = read_password(args.password_stdin, args.username)
    return _change(args, lambda ident, uid: update_user(ident, CONSOLE, uid, password=password),
                   "password of {name} set; their sessions have ended")


def run_role(args: argparse.Namespace) -> int:
    from ..auth.accounts import CONSOLE, update_user

    return _change(args, lambda ident, uid: update_user(ident, CONSOLE, uid, role=args.role),
                   "{name} is now " + ("an admin" if args.role == "admin" else "a user"))


def run_delete(args: argparse.Namespace) -> int:
    from ..auth.accounts import CONSOLE, delete_user

    return _change(args, lambda ident, uid: delete_user(ident, CONSOLE, uid), "deleted {name}")


def run_mfa_off(args: argparse.Namespace) -> int:
    from ..auth.accounts import CONSOLE, admin_mfa_disable

    return _change(args, lambda ident, uid: admin_mfa_disable(ident, CONSOLE, uid),
                   "MFA of {name} is off; set it up again after logging in")


def run_unlock(args: argparse.Namespace) -> int:
    from ..auth.accounts import CONSOLE, unlock_user

    return _change(args, lambda ident, uid: unlock_user(ident, CONSOLE, uid),
                   "{name} is unlocked; they can log in again")
