"""``jarvis audit verify``: check the audit log's hash chain from its anchor to its head."""

from __future__ import annotations

import argparse
import asyncio
import json

from .common import add_data_dir, settings_from


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="the audit log")
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    v = actions.add_parser("verify", help="check the hash chain; report the first broken entry")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    add_data_dir(v)
    v.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from ..db import Database
    from ..services.audit_chain import VerifyResult, verify_chain
    from .credentials import has_table

    settings = settings_from(args)

    async def go() -> VerifyResult:
        db = Database(settings.resolved_database_url)
        try:
            if not await has_table(db, "audit_log"):
                return VerifyResult(True, 0)
            return await verify_chain(db)
        finally:
            await db.dispose()

    result = asyncio.run(go())
    if args.json:
        print(json.dumps(result.as_dict()))
    elif result.ok:
        print(f"audit log intact: {result.checked} entries checked")
    else:
        where = (result.broken_at or {}).get("id")
        print(f"audit log broken at entry {where}: {result.reason} "
              f"({result.checked} entries before it are intact)")
    return 0 if result.ok else 1
