"""A client that goes away half-way through a download is routine: no error in the log."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import struct

import aiohttp
import pytest
from jarvis.testing.clients import PASSWORD, create_user
from jarvis.testing.loopback import LoopbackServer
from jarvis.testing.polling import eventually

BIG = 24 * 1024 * 1024  # more than the socket buffers hold: the server is still writing


class Served(LoopbackServer):
    """The app on a port as ``jarvis serve`` runs it (handlers are not cancelled when their
    client leaves, unlike aiohttp's test server)."""

    runner_options = {"access_log": None}

    def __init__(self, app):
        super().__init__()
        self.app = app

    def make_app(self):
        return self.app


async def drop_mid_download(url: str, cookie: str) -> None:
    """A raw HTTP/1.1 client with a small receive window: read the start, then reset."""
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    reader, writer = await asyncio.open_connection(sock=sock)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n".encode())
    await writer.drain()
    assert (await reader.readexactly(15)) == b"HTTP/1.1 200 OK"
    await reader.readexactly(256 * 1024)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()  # RST: the connection is gone with most of the body unsent


@pytest.mark.parametrize("target", [
    "/api/my/files/download?path=/big.bin",
    "/api/my/files/download-zip?path=/",
])
async def test_a_client_leaving_mid_download_is_not_an_error(make_app, caplog, target):
    async with Served(make_app()) as server, aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        await create_user(server.app, "alice")
        login = await http.post(f"{server.url}/api/auth/login",
                                json={"username": "alice", "password": PASSWORD})
        assert login.status == 200
        form = aiohttp.FormData()
        form.add_field("file", os.urandom(BIG), filename="big.bin")
        upload = await http.post(f"{server.url}/api/my/files", data=form,
                                 headers={"Origin": server.url})
        assert upload.status == 201
        cookie = "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)
        caplog.set_level(logging.DEBUG, logger="jarvis")

        await drop_mid_download(server.url + target, cookie)

        await eventually(lambda: any(  # the handler is done, one way or the other
            "the client left" in r.getMessage() or r.levelno >= logging.ERROR
            for r in caplog.records), within=60)
        errors = [f"{r.name}: {r.getMessage()}"
                  for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors == []
        assert (await http.get(f"{server.url}/api/my/files")).status == 200  # it goes on
