"""``jarvis serve``: run the server until SIGINT or SIGTERM.

The port is bound before anything starts, so a port in use costs one line and no start-up
work; a signal during start-up stops it where it is and cleans up what had started.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import signal
import socket
import sys
from typing import Any

from .common import add_data_dir, settings_from

INTERRUPTED = 130  # the exit status of a start-up a signal cut short (as a shell reports it)
REASONS = {
    errno.EADDRINUSE: "the port is in use (another server is running there? set --port or "
                      "JARVIS_PORT)",
    errno.EACCES: "permission denied (ports below 1024 need privileges)",
    errno.EADDRNOTAVAIL: "this machine has no such address (set --host or JARVIS_HOST)",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the server")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default 8080; 0 picks a free one)")
    add_data_dir(p)
    p.set_defaults(func=run)


def bind(host: str, port: int) -> list[socket.socket]:
    """Sockets bound to every address of ``host`` (not listening yet), or a one-line error."""
    from . import CommandError

    where = f"{host}:{port}"
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        raise CommandError(f"cannot listen on {where}: {err.strerror}") from None
    bound: list[socket.socket] = []
    for family, kind, proto, _name, address in dict.fromkeys(infos):
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
        except OSError as err:
            sock.close()
            for other in bound:
                other.close()
            reason = REASONS.get(err.errno or 0, err.strerror or str(err))
            raise CommandError(f"cannot listen on {where}: {reason}") from None
        bound.append(sock)
    return bound


def url_of(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def serve(app: Any, sockets: list[socket.socket], url: str) -> int:
    """Start the app on the bound sockets and serve until a signal; 0 after a clean stop,
    INTERRUPTED when the signal came before start-up finished."""
    from aiohttp import web

    from ..auth.setup import first_run_message
    from ..keys import DATABASE

    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    stopping = asyncio.Event()
    state = {"ready": False, "signals": 0}

    def on_signal() -> None:
        state["signals"] += 1
        if state["signals"] > 1:  # a second Ctrl-C: the user does not want to wait
            os._exit(INTERRUPTED)
        if state["ready"]:
            stopping.set()
        else:
            main.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    try:
        await runner.setup()
        for sock in sockets:
            await web.SockSite(runner, sock).start()
        state["ready"] = True
        print(f"Jarvis is listening on {url}", flush=True)
        message = await first_run_message(app[DATABASE], url)
        if message:
            print(message, flush=True)
        await stopping.wait()
        return 0
    except asyncio.CancelledError:
        return INTERRUPTED
    finally:
        state["ready"] = True  # a signal now must not cancel the clean-up itself
        await runner.cleanup()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def run(args: argparse.Namespace) -> int:
    from ..app import create_app

    settings = settings_from(args, host=args.host, port=args.port)
    app = create_app(settings)
    sockets = bind(settings.host, settings.port)
    try:
        return asyncio.run(serve(app, sockets, url_of(settings.host, sockets[0])))
    finally:
        for sock in sockets:
            sock.close()
        sys.stdout.flush()
