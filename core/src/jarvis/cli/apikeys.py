"""``jarvis apikey``: create, list and revoke users' API keys (as ``/api/my/api-keys`` does)."""

from __future__ import annotations

import argparse
from typing import Any

from .common import CommandError, add_data_dir, find_user, with_services


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("apikey", help="manage users' API keys")
    actions = p.add_subparsers(dest="apikey_command", metavar="ACTION", required=True)

    create = actions.add_parser("create", help="a new API key for a user (printed this once)")
    create.add_argument("username")
    create.add_argument("--name", required=True, help="what the key is for, e.g. 'backup script'")
    create.set_defaults(func=run_create)

    listing = actions.add_parser("list", help="list API keys (all users', or one user's)")
    listing.add_argument("username", nargs="?")
    listing.set_defaults(func=run_list)

    revoke = actions.add_parser(
        "revoke", help="delete an API key; a running server refuses it within seconds"
    )
    revoke.add_argument("id", help="the key's id, as `jarvis apikey list` shows it")
    revoke.set_defaults(func=run_revoke)

    for action in actions.choices.values():
        add_data_dir(action)


def _ref(row: Any) -> Any:
    from ..tools import UserRef

    return UserRef(row.id, row.username, row.role)


def run_create(args: argparse.Namespace) -> int:
    from ..auth import accounts
    from ..keys import IDENTITY

    name = args.name.strip()
    if not 1 <= len(name) <= 100:
        raise CommandError("--name: 1-100 characters")

    async def work(app: Any) -> int:
        owner = _ref(await find_user(app, args.username))
        created = await accounts.create_api_key(
            app[IDENTITY], owner, name, actor=accounts.CONSOLE
        )
        print(f"API key {created['id']} for {owner.username} (shown this once):")
        print(created["key"])
        return 0

    return with_services(args, work)


def run_list(args: argparse.Namespace) -> int:
    from ..auth.users import list_users
    from ..keys import DATABASE, IDENTITY

    async def work(app: Any) -> int:
        if args.username:
            owners = [await find_user(app, args.username)]
        else:
            owners = await list_users(app[DATABASE])
        print("id\tuser\tname\tprefix\tcreated\tlast used")
        for owner in owners:
            for key in await app[IDENTITY].keys.list(owner.id):
                print("\t".join([key["id"], owner.username, key["name"], key["prefix"],
                                 key["created_at"], key["last_used_at"] or "never"]))
        return 0

    return with_services(args, work)


def run_revoke(args: argparse.Namespace) -> int:
    from ..auth import accounts
    from ..auth.users import get_user
    from ..keys import DATABASE, IDENTITY

    async def work(app: Any) -> int:
        owner_id = await app[IDENTITY].keys.owner_of(args.id)
        if owner_id is None:
            raise CommandError(f"no API key with id {args.id!r}")
        owner = (await get_user(app[DATABASE], owner_id)).ref
        await accounts.delete_api_key(app[IDENTITY], owner, args.id, actor=accounts.CONSOLE)
        print(f"revoked API key {args.id} of {owner.username}")
        return 0

    return with_services(args, work)
