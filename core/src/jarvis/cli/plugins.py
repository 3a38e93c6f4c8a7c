"""``jarvis plugins``: what is loaded, from which distribution, and what it contributes."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plugins", help="list the loaded plugins")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..app import create_app
    from ..routes.system import plugin_list
    from .common import settings_from

    app = create_app(settings_from(args))
    rows = plugin_list(app)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        print(f"{row['name']} {row['version']} ({row['distribution']})")
        for kind in ("tools", "policies", "providers", "routes"):
            if row[kind]:
                print(f"  {kind}: {', '.join(row[kind])}")
        if row["triggers"]:
            print(f"  triggers: {', '.join(t['name'] for t in row['triggers'])}")
    return 0
