"""``jarvis serve``: run the server until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import logging

from .common import add_data_dir, settings_from


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the server")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default 8080)")
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aiohttp import web

    from ..app import create_app
    from ..auth.setup import first_run_message
    from ..keys import DATABASE

    settings = settings_from(args, host=args.host, port=args.port)
    logging.getLogger().setLevel(settings.log_level.upper())
    app = create_app(settings)
    url = f"http://{settings.host}:{settings.port}"

    async def announce(_app: web.Application) -> None:
        print(f"Jarvis is listening on {url}", flush=True)
        message = await first_run_message(_app[DATABASE], url)
        if message:
            print(message, flush=True)

    app.on_startup.append(announce)
    web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None)
    return 0
