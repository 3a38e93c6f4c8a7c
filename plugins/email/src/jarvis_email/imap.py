"""IMAP through aioimaplib: guarded connects, STARTTLS, timeouts and parsed answers."""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aioimaplib
from aioimaplib.aioimaplib import SELECTED, Command, IMAP4ClientProtocol
from jarvis import OutboundPolicy

from .accounts import Account
from .network import MailError, bare_host, guarded_socket, tls_context
from .settings import EmailSettings

_FETCH_START = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"\bUID (\d+)")
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_CODE = re.compile(rb"\[(UIDVALIDITY|UIDNEXT) (\d+)\]")
_EXISTS = re.compile(rb"^(\d+) EXISTS")


class GuardedIMAP(aioimaplib.IMAP4):
    """aioimaplib's client, connecting only to addresses the outbound policy permits."""

    def __init__(self, host: str, port: int, *, policy: OutboundPolicy,
                 ssl_context: ssl.SSLContext | None, timeout: float, connect_timeout: float,
                 conn_lost_cb: Callable[[Exception | None], None] | None = None):
        self._policy = policy
        self._connect_timeout = connect_timeout
        super().__init__(host=host, port=port, timeout=timeout, conn_lost_cb=conn_lost_cb,
                         ssl_context=ssl_context)

    def create_client(self, host: str, port: int, loop: Any, conn_lost_cb: Any = None,
                      ssl_context: ssl.SSLContext | None = None) -> None:
        local_loop = loop if loop is not None else asyncio.get_running_loop()
        self.protocol = IMAP4ClientProtocol(local_loop, conn_lost_cb)
        self._client_task = local_loop.create_task(self._open(host, port, ssl_context))

    async def _open(self, host: str, port: int, context: ssl.SSLContext | None) -> Any:
        sock = await guarded_socket(host, port, self._policy, self._connect_timeout)
        loop = asyncio.get_running_loop()
        try:
            return await loop.create_connection(
                lambda: self.protocol, sock=sock, ssl=context,
                server_hostname=bare_host(host) if context else None,
                ssl_handshake_timeout=self._connect_timeout if context else None)
        except BaseException:
            sock.close()
            raise

    async def starttls(self, host: str, context: ssl.SSLContext) -> None:
        """Upgrade the connection to TLS (aioimaplib has no STARTTLS of its own)."""
        proto = self.protocol
        if "STARTTLS" not in proto.capabilities:
            raise MailError("the IMAP server does not offer STARTTLS")
        response = await asyncio.wait_for(
            proto.execute(Command("STARTTLS", proto.new_tag(), loop=proto.loop)), self.timeout)
        if response.result != "OK":
            raise MailError(f"the IMAP server refused STARTTLS: {_text(response)}")
        loop = asyncio.get_running_loop()
        proto.transport = await loop.start_tls(
            proto.transport, proto, context, server_hostname=bare_host(host),
            ssl_handshake_timeout=self._connect_timeout)
        # what the server said before TLS is not to be trusted: ask again
        await asyncio.wait_for(proto.capability(), self.timeout)

    def abort(self) -> None:
        """Drop the connection at once, with every command still waiting on it."""
        transport = getattr(self.protocol, "transport", None)
        if transport is not None:
            transport.close()
        if not self._client_task.done():
            self._client_task.cancel()
        for task in [*self.tasks, *getattr(self.protocol, "tasks", ())]:
            task.cancel()
        if self._idle_waiter is not None:
            self._idle_waiter.cancel()

    @property
    def usable(self) -> bool:
        """Connected, logged in, and not in the middle of an IDLE."""
        transport = getattr(self.protocol, "transport", None)
        return (transport is not None and not transport.is_closing()
                and self.protocol.state in ("AUTH", "SELECTED") and not self.has_pending_idle())


@dataclass(slots=True)
class FolderInfo:
    uidvalidity: int
    uidnext: int | None
    exists: int


@dataclass(slots=True)
class Fetched:
    """One message of a FETCH answer: its data items and its literal (headers or body)."""

    uid: int | None
    flags: list[str] = field(default_factory=list)
    size: int | None = None
    literal: bytes | None = None


def _text(response: Any) -> str:
    return " ".join(
        line.decode(errors="replace") for line in response.lines if isinstance(line, bytes))[:300]


async def _checked(command: Awaitable[Any], lost: asyncio.Event | None = None) -> Any:
    """Run one IMAP command; library errors, timeouts and a dropped connection (which
    aioimaplib reports only to its lost-connection callback) become MailError."""
    task = asyncio.ensure_future(command)
    dropped = asyncio.ensure_future(lost.wait()) if lost is not None else None
    try:
        await asyncio.wait({task} | ({dropped} if dropped else set()),
                           return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            raise MailError("the connection to the IMAP server was lost")
        return task.result()
    except TimeoutError:
        raise MailError("the IMAP server did not answer in time") from None
    except (aioimaplib.AioImapException, OSError) as err:
        raise MailError(f"IMAP error: {err}") from None
    finally:
        for pending in (task, dropped):
            if pending is not None and not pending.done():
                pending.cancel()


def quote_folder(folder: str) -> str:
    """A folder name as an IMAP quoted string (names are validated: no quotes, backslashes)."""
    return f'"{folder}"'


def parse_fetch(lines: list[Any]) -> list[Fetched]:
    """The messages of a FETCH answer, whatever order the server put the items in."""
    metas: list[bytearray] = []
    out: list[Fetched] = []
    for line in lines[:-1]:  # the last line is the tagged status text
        if isinstance(line, bytearray):
            if out and out[-1].literal is None:
                out[-1].literal = bytes(line)
            continue
        if _FETCH_START.match(line):
            metas.append(bytearray(line))
            out.append(Fetched(uid=None))
        elif metas:
            metas[-1] += b" " + line
    for meta, item in zip(metas, out, strict=True):
        if m := _UID.search(meta):
            item.uid = int(m.group(1))
        if m := _FLAGS.search(meta):
            item.flags = m.group(1).decode(errors="replace").split()
        if m := _SIZE.search(meta):
            item.size = int(m.group(1))
    return out


class Mailbox:
    """A logged-in IMAP connection."""

    def __init__(self, client: GuardedIMAP, lost: asyncio.Event):
        self.client = client
        self.lost = lost  # set when the server drops the connection

    @property
    def supports_idle(self) -> bool:
        return self.client.has_capability("IDLE")

    async def select(self, folder: str) -> FolderInfo:
        """Open a folder read-only (EXAMINE: nothing about it changes); MailError when it does
        not exist."""
        response = await _checked(self.client.examine(quote_folder(folder)), self.lost)
        if response.result != "OK":
            raise MailError(f"cannot open folder {folder!r}: {_text(response)}")
        # aioimaplib tracks the state only for SELECT; EXAMINE selects just the same
        self.client.protocol.state = SELECTED
        codes = {m.group(1): int(m.group(2)) for line in response.lines
                 if isinstance(line, bytes) and (m := _CODE.search(line))}
        exists = next((int(m.group(1)) for line in response.lines
                       if isinstance(line, bytes) and (m := _EXISTS.match(line))), 0)
        return FolderInfo(codes.get(b"UIDVALIDITY", 0), codes.get(b"UIDNEXT"), exists)

    async def search(self, *criteria: str) -> list[int]:
        """UIDs matching the criteria, ascending."""
        response = await _checked(self.client.uid_search(*criteria, charset=None), self.lost)
        if response.result != "OK":
            raise MailError(f"search failed: {_text(response)}")
        return sorted({int(n) for n in response.lines[0].split() if n.isdigit()})

    async def fetch(self, uids: list[int], items: str) -> list[Fetched]:
        """FETCH by UID; messages that vanished meanwhile are simply missing."""
        if not uids:
            return []
        wanted = ",".join(map(str, uids))
        response = await _checked(self.client.uid("fetch", wanted, items), self.lost)
        if response.result != "OK":
            raise MailError(f"fetch failed: {_text(response)}")
        return [f for f in parse_fetch(response.lines) if f.uid in set(uids)]

    async def idle(self, refresh: float) -> None:
        """Wait in IDLE until the server announces something or ``refresh`` seconds pass;
        MailError when the connection drops meanwhile."""
        client = self.client
        idle = await _checked(client.idle_start(timeout=refresh), self.lost)
        # the pushes, or a stop marker once ``refresh`` has passed
        await _checked(client.wait_server_push(refresh + 60), self.lost)
        client.idle_done()
        await _checked(asyncio.wait_for(idle, client.timeout), self.lost)

    async def noop(self) -> None:
        response = await _checked(self.client.noop(), self.lost)
        if response.result != "OK":
            raise MailError(f"NOOP failed: {_text(response)}")

    async def close(self) -> None:
        """Log out politely when the connection is in a state to, then drop it."""
        if self.client.usable:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.client.logout(), 2)
        self.client.abort()


async def connect(account: Account, password: str, policy: OutboundPolicy,
                  settings: EmailSettings) -> Mailbox:
    """Connect (TLS as the account says), log in, and return the mailbox."""
    context = tls_context(settings) if account.imap_tls != "none" else None
    lost = asyncio.Event()
    client = GuardedIMAP(
        account.imap_host, account.imap_port, policy=policy,
        ssl_context=context if account.imap_tls == "ssl" else None,
        timeout=settings.command_timeout, connect_timeout=settings.connect_timeout,
        conn_lost_cb=lambda _exc: lost.set())
    try:
        await client.wait_hello_from_server()
        if context is not None and account.imap_tls == "starttls":
            await client.starttls(account.imap_host, context)
        response = await client.login(account.imap_username, password)
        if response.result != "OK":
            raise MailError(f"the IMAP server refused the login of {account.imap_username}")
    except BaseException as err:
        client.abort()
        if isinstance(err, TimeoutError):
            raise MailError(f"the IMAP server {account.imap_host} did not answer in time") from None
        if isinstance(err, ssl.SSLError | aioimaplib.AioImapException):
            raise MailError(f"IMAP connection to {account.imap_host} failed: {err}") from None
        if isinstance(err, OSError) and not isinstance(err, MailError):
            raise MailError(f"cannot reach {account.imap_host}: {err}") from None
        raise
    return Mailbox(client, lost)
