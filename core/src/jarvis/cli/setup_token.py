"""``jarvis setup-token``: a fresh first-run token, while no user exists.

Only a token's hash is stored, so the one ``jarvis serve`` printed cannot be shown again: this
issues a new one (the earlier ones stay valid for their day; the first setup uses them all up).
"""

from __future__ import annotations

import argparse
from typing import Any

from .common import CommandError, add_data_dir, with_services


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("setup-token", help="print a new one-time token to create the first admin")
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..auth.setup import first_run_message
    from ..keys import DATABASE, SETTINGS

    async def work(app: Any) -> int:
        settings = app[SETTINGS]
        message = await first_run_message(
            app[DATABASE], f"http://{settings.host}:{settings.port}"
        )
        if message is None:
            raise CommandError(
                "setup is done: a user exists already (add users with `jarvis user create`)"
            )
        print(message)
        return 0

    return with_services(args, work)
