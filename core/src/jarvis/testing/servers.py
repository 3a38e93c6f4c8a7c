"""Real CalDAV, SMTP and IMAP servers on loopback for tests, each in a throw-away folder.

Radicale, aiosmtpd and pymap are test-only dependencies: they are imported inside the
launchers so that importing this module costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from .smtp_sink import ReceivedMail, SmtpSink, smtp_sink

__all__ = ["ImapServer", "RadicaleServer", "ReceivedMail", "RunningServer", "ServerProcess",
           "SmtpSink", "free_port", "imap_server", "radicale_server", "smtp_sink"]

LOOPBACK = "127.0.0.1"
DEFAULT_USERS: Mapping[str, str] = {"alice": "secret"}
_START_ATTEMPTS = 3


def free_port() -> int:
    """A loopback TCP port that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def _check_users(users: Mapping[str, str]) -> dict[str, str]:
    for name, password in users.items():
        if not name or any(c in name + password for c in ":\r\n"):
            raise ValueError(f"user names and passwords must not hold ':' or newlines: {name!r}")
    return dict(users)


class ServerProcess:
    """A server run as a child process on a fixed loopback port; stop and start it at will."""

    def __init__(self, name: str, argv: list[str], port: int, log_path: Path,
                 env: Mapping[str, str] | None = None) -> None:
        self.name, self.argv, self.port, self.log_path = name, argv, port, log_path
        self.env = {**os.environ, **(env or {})}
        self._process: asyncio.subprocess.Process | None = None

    @property
    def running(self) -> bool:
        """Whether the child process is alive."""
        return self._process is not None and self._process.returncode is None

    async def start(self, ready_within: float = 15.0) -> None:
        """Start the process and wait until its port accepts connections."""
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                *self.argv, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
                env=self.env)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ready_within
        while loop.time() < deadline:
            if self._process.returncode is not None:
                raise RuntimeError(f"{self.name} exited with {self._process.returncode}:\n"
                                   f"{self.log_tail()}")
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection(LOOPBACK, self.port)
                writer.close()
                return
            await asyncio.sleep(0.05)
        await self.stop()
        raise RuntimeError(f"{self.name} did not listen on port {self.port} within "
                           f"{ready_within} s:\n{self.log_tail()}")

    async def stop(self, grace: float = 3.0) -> None:
        """End the process (SIGTERM, then SIGKILL after ``grace`` s); clients are cut off."""
        if self._process is None:
            return
        if self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), grace)
            except TimeoutError:
                self._process.kill()
        await self._process.wait()
        self._process = None

    async def restart(self) -> None:
        """Drop all connections and serve again on the same port with the same data."""
        await self.stop()
        await self.start()

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server printed, for error messages."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


async def _launch(name: str, folder: Path, argv_for: Callable[[int], list[str]],
                  env: Mapping[str, str] | None = None) -> ServerProcess:
    """Start a server on a fresh port, trying another port if one was taken meanwhile."""
    for attempt in range(_START_ATTEMPTS):
        port = free_port()
        process = ServerProcess(name, argv_for(port), port, folder / f"{name}.log", env)
        try:
            await process.start()
            return process
        except RuntimeError:
            if attempt == _START_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def _folder(tmp_path: Path | None) -> Iterator[Path]:
    """The caller's folder, or a temporary one removed afterwards."""
    if tmp_path is not None:
        tmp_path.mkdir(parents=True, exist_ok=True)
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="jarvis-test-") as made:
        yield Path(made)


@dataclass
class RunningServer:
    """A launched server: where it listens, who may log in, its folder and its process."""

    host: str
    port: int
    users: dict[str, str]
    folder: Path
    process: ServerProcess = field(repr=False)

    async def restart(self) -> None:
        """Drop every client connection, then serve the same data on the same port again."""
        await self.process.restart()


class RadicaleServer(RunningServer):
    """A running Radicale; calendars live under ``principal_url(user)``."""

    @property
    def url(self) -> str:
        """The CalDAV root URL to give a client, like ``http://127.0.0.1:PORT/``."""
        return f"http://{self.host}:{self.port}/"

    def principal_url(self, user: str) -> str:
        """The home collection of ``user``, where their calendars live."""
        return f"{self.url}{user}/"

    def make_addressbook(self, user: str, name: str) -> str:
        """Create a CardDAV address book of ``user`` (blocking; run it in a thread from async
        code); returns its URL."""
        import base64
        import urllib.request

        url = f"{self.principal_url(user)}{name.lower()}/"
        login = base64.b64encode(f"{user}:{self.users[user]}".encode()).decode()
        made = urllib.request.Request(  # noqa: S310 - the loopback Radicale of this test
            url, data=_MKCOL_BOOK.format(name=name).encode(), method="MKCOL",
            headers={"Authorization": f"Basic {login}", "Content-Type": "application/xml"})
        with urllib.request.urlopen(made, timeout=10) as answer:  # noqa: S310
            if answer.status != 201:
                raise RuntimeError(f"Radicale refused the address book: HTTP {answer.status}")
        return url


_MKCOL_BOOK = """<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>
<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>
<d:displayname>{name}</d:displayname></d:prop></d:set></d:mkcol>"""


def _radicale_argv(folder: Path, users: Mapping[str, str], port: int) -> list[str]:
    """Write Radicale's users and config file for ``port``; return the command to run it."""
    htpasswd = folder / "htpasswd"
    htpasswd.write_text("".join(f"{name}:{pw}\n" for name, pw in users.items()))
    config = folder / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = {LOOPBACK}:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {htpasswd}\n"
        # Plain entries keep start-up free of hashing extras; a wrong password still fails.
        # No delay after a failed login, so auth tests stay fast.
        "htpasswd_encryption = plain\ndelay = 0\n"
        "[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[web]\ntype = none\n[logging]\nlevel = warning\n")
    return [sys.executable, "-m", "radicale", "--config", str(config)]


@asynccontextmanager
async def radicale_server(
    tmp_path: Path | None = None, users: Mapping[str, str] = DEFAULT_USERS
) -> AsyncIterator[RadicaleServer]:
    """Run Radicale (CalDAV/CardDAV) with htpasswd logins, owner-only rights, on-disk storage."""
    users = _check_users(users)
    with _folder(tmp_path) as folder:
        process = await _launch(
            "radicale", folder, lambda port: _radicale_argv(folder, users, port))
        try:
            yield RadicaleServer(LOOPBACK, process.port, users, folder, process)
        finally:
            await process.stop()


class ImapServer(RunningServer):
    """A running pymap IMAP4rev1 server (IDLE, UIDPLUS, MOVE) with a maildir per user.

    pymap's maildir hands messages back with LF line ends, and announces new mail to an
    IDLE client within about a second.
    """

    async def deliver(self, user: str, message: bytes | EmailMessage, *,
                      mailbox: str = "INBOX", flags: str | None = None) -> None:
        """Put a message into ``user``'s mailbox with IMAP APPEND, as a new mail arriving."""
        import aioimaplib

        raw = message.as_bytes(policy=SMTP) if isinstance(message, EmailMessage) else message
        client = aioimaplib.IMAP4(host=self.host, port=self.port, timeout=10)
        await client.wait_hello_from_server()
        try:
            response = await client.login(user, self.users[user])
            if response.result == "OK":
                response = await client.append(raw, mailbox=mailbox, flags=flags)
            if response.result != "OK":
                raise RuntimeError(f"IMAP delivery to {user} failed: {response.lines}")
        finally:
            with contextlib.suppress(Exception):
                await client.logout()


def _pymap_accounts(folder: Path, users: Mapping[str, str]) -> Path:
    """Write pymap's passwd and shadow files (one maildir per user); return the base folder."""
    from pysasl.hashing import BuiltinHash

    # Few rounds: the hash is real, but a login should not cost a test a quarter second.
    hasher = BuiltinHash(rounds=1000)
    base = folder / "maildir"
    base.mkdir(exist_ok=True)
    (base / "pymap-etc-passwd").write_text(
        "".join(f"{name}:x::::{name}:\r\n" for name in users))
    (base / "pymap-etc-shadow").write_text(
        "".join(f"{name}:{hasher.hash(pw)}:::::::\r\n" for name, pw in users.items()))
    return base


@asynccontextmanager
async def imap_server(users: Mapping[str, str] = DEFAULT_USERS,
                      tmp_path: Path | None = None) -> AsyncIterator[ImapServer]:
    """Run pymap's maildir backend: LOGIN without TLS, real password checks, data on disk."""
    users = _check_users(users)
    with _folder(tmp_path) as folder:
        base = _pymap_accounts(folder, users)

        def argv_for(port: int) -> list[str]:
            # Only IMAP: other pymap services would listen on fixed ports.
            skipped = [arg for svc in ("admin", "managesieve", "swim")
                       for arg in ("--no-service", svc)]
            return [sys.executable, "-c", "from pymap.main import main; main()", *skipped,
                    "--host", LOOPBACK, "--port", str(port), "--no-tls", "maildir", str(base)]

        # pymap names itself in the greeting; a fixed name spares a DNS lookup.
        process = await _launch("pymap", folder, argv_for, env={"FQDN": "localhost"})
        try:
            yield ImapServer(LOOPBACK, process.port, users, folder, process)
        finally:
            await process.stop()
