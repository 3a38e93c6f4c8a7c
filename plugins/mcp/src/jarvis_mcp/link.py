"""One connection to one MCP server, kept up by a supervisor task: connect, list the tools,
follow changes, check a quiet connection, and reconnect with backoff when it is lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from jarvis import OutboundError, OutboundPolicy, OutboundRefused

from .settings import McpSettings

if TYPE_CHECKING:  # the MCP SDK is imported when a server is first connected
    import mcp.types as mt
    from mcp import Client

log = logging.getLogger("jarvis.mcp")

State = Literal["connecting", "connected", "retrying", "failed", "stopped"]


@dataclass(slots=True)
class ServerSpec:
    """What a connection needs to know about a server (secrets included: never listed)."""

    id: str
    user_id: str
    shared: bool
    name: str
    transport: str
    url: str | None
    command: str | None
    args: list[str]
    call_timeout: float
    max_result_chars: int
    version: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    env: dict[str, str] = field(default_factory=dict, repr=False)

    def visible_to(self, user_id: str) -> bool:
        return self.shared or self.user_id == user_id


class Unavailable(Exception):
    """The server cannot take a call now; the message says why (and when it retries)."""


class Lost(Exception):
    """The connection ended; the supervisor reconnects."""


class Link:
    """The live connection to one server, and what it found there."""

    def __init__(self, spec: ServerSpec, policy: OutboundPolicy, settings: McpSettings):
        self.spec = spec
        self.policy = policy
        self.settings = settings
        self.state: State = "connecting"
        self.reason: str | None = None
        self.next_attempt: float | None = None  # time.time() of the next attempt
        self.attempts = 0  # failed attempts since the last good connection
        self.tools: list[mt.Tool] = []
        self.changed = asyncio.Event()  # set whenever the state or the tools change
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()
        self._relist = asyncio.Event()
        self._stopping = False
        self._errlog: Any = None

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._supervise(), name=f"mcp:{self.spec.name}")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        self._set("stopped", None)
        if self._errlog is not None:
            self._errlog.close()

    async def _supervise(self) -> None:
        delay = self.settings.retry_min
        while not self._stopping:
            reason = await self._attempt()
            if reason is None or self._stopping:
                return
            self._client = None
            self.attempts += 1
            if self.attempts == 1:
                delay = self.settings.retry_min  # it was up: the first retry comes soon
            self.next_attempt = time.time() + delay
            self._set("retrying", reason)
            log.warning("MCP server %s: %s; next attempt in %.1f s", self.spec.name, reason, delay)
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                if self._stopping:
                    raise
                _uncancel()  # a cancellation the lost connection left behind, not a stop
            delay = min(delay * 2, self.settings.retry_max)

    async def _attempt(self) -> str | None:
        """One connection, kept until it is lost: why it ended, or None to stop trying."""
        try:
            await self._session()
            return "the connection was lost"
        except asyncio.CancelledError:
            if self._stopping:
                raise
            _uncancel()
            return self.reason or "the connection was cancelled"
        except OutboundRefused as err:
            self._fail(f"refused by the outbound guard: {err}")
        except (FileNotFoundError, PermissionError) as err:
            self._fail(f"the command cannot be run: {describe(err)}")
        except Exception as err:  # noqa: BLE001 - anything a server does must not escape
            return describe(err)
        except BaseExceptionGroup as group:
            return describe(group)
        return None

    async def _session(self) -> None:
        async with self._connect() as client:
            await asyncio.wait_for(self._list(client), self.settings.connect_timeout)
            self._client = client
            self.attempts, self.next_attempt = 0, None
            self._set("connected", None)
            await self._watch(client)

    @contextlib.asynccontextmanager
    async def _connect(self) -> AsyncIterator[Client]:
        self._lost.clear()
        self._relist.clear()
        self._set("connecting", self.reason)
        # the handshake is bounded by read_timeout_seconds; the exceptions of the connection
        # must reach the client's own exit (its task groups handle their cancellations)
        from mcp import Client

        async with Client(self._transport(await self._target()), mode="legacy", cache=None,
                          message_handler=self._on_message,
                          read_timeout_seconds=self.settings.connect_timeout) as client:
            yield client

    async def _target(self) -> str | None:
        if self.spec.transport == "stdio":
            return None
        assert self.spec.url is not None
        from .guard import checked_address  # httpx2, with the SDK

        try:
            return await checked_address(self.policy, self.spec.url)
        except OutboundRefused:
            raise
        except OutboundError as err:
            raise Lost(str(err)) from None

    def _transport(self, _address: str | None) -> Any:
        from mcp import StdioServerParameters, stdio_client
        from mcp.client.sse import sse_client
        from mcp.client.streamable_http import streamable_http_client

        from .guard import client_factory

        spec = self.spec
        if spec.transport == "stdio":
            assert spec.command is not None
            params = StdioServerParameters(command=spec.command, args=spec.args,
                                           env=spec.env or None)
            if self._errlog is None:
                # the server's stderr: not ours to print (it may hold what it was given)
                self._errlog = open(os.devnull, "w")  # noqa: SIM115 - closed by stop()
            return stdio_client(params, errlog=self._errlog)
        factory = client_factory(self.policy)
        assert spec.url is not None
        if spec.transport == "sse":
            return sse_client(spec.url, headers=spec.headers or None,
                              timeout=self.settings.connect_timeout,
                              httpx_client_factory=factory)
        http = factory(headers=spec.headers or None)
        return streamable_http_client(spec.url, http_client=http)

    async def _list(self, client: Client) -> None:
        tools: list[mt.Tool] = []
        cursor: str | None = None
        for _page in range(50):
            page = await client.list_tools(cursor=cursor)
            tools += page.tools
            cursor = page.next_cursor
            if not cursor:
                break
        self.tools = tools
        self.changed.set()

    async def _watch(self, client: Client) -> None:
        """Until the connection is lost: re-list on a change notice or now and then, and ping
        a quiet connection."""
        loop = asyncio.get_running_loop()
        next_refresh = loop.time() + self.settings.refresh_interval
        while True:
            waits = [asyncio.ensure_future(self._lost.wait()),
                     asyncio.ensure_future(self._relist.wait())]
            timeout = min(self.settings.ping_interval, max(next_refresh - loop.time(), 0))
            try:
                await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waits:
                    w.cancel()
            if self._lost.is_set():
                raise Lost(self.reason or "the connection was lost")
            if self._relist.is_set() or loop.time() >= next_refresh:
                self._relist.clear()
                await asyncio.wait_for(self._list(client), self.settings.connect_timeout)
                next_refresh = loop.time() + self.settings.refresh_interval
            else:
                from mcp import MCPDeprecationWarning

                with warnings.catch_warnings():  # ping is gone from 2026-07-28 on; legacy here
                    warnings.simplefilter("ignore", MCPDeprecationWarning)
                    await asyncio.wait_for(client.send_ping(), self.settings.connect_timeout)

    async def _on_message(self, message: Any) -> None:
        import mcp.types as mt

        if isinstance(message, mt.ToolListChangedNotification):
            self._relist.set()
        elif isinstance(message, Exception):
            log.info("MCP server %s: %s", self.spec.name, describe(message))

    # -- calls ----------------------------------------------------------------------------

    async def call(self, name: str, arguments: dict[str, Any]) -> mt.CallToolResult:
        """Call one tool within the server's time limit; Unavailable when it cannot be."""
        client = self._client
        if client is None or self.state != "connected":
            raise Unavailable(self.describe_state())
        seconds = self.spec.call_timeout
        try:
            async with asyncio.timeout(seconds):
                return await client.call_tool(name, arguments, read_timeout_seconds=seconds)
        except TimeoutError:
            raise Unavailable(f"the MCP server {self.spec.name} did not answer within "
                              f"{seconds:g} s") from None
        except Exception as err:
            if _is_protocol_error(err):
                raise Unavailable(f"the MCP server {self.spec.name} refused the call: "
                                  f"{describe(err)}") from None
            self.lose(describe(err))
            raise Unavailable(f"the MCP server {self.spec.name} went away during the call "
                              f"({describe(err)}); its tools come back when it is reachable "
                              "again") from None

    def lose(self, reason: str) -> None:
        """The connection is broken: the supervisor reconnects."""
        self.reason = reason
        self._lost.set()

    # -- state ----------------------------------------------------------------------------

    def _set(self, state: State, reason: str | None) -> None:
        self.state, self.reason = state, reason
        if state != "connected":
            self.tools = [] if state in ("failed", "stopped") else self.tools
        self.changed.set()

    def _fail(self, reason: str) -> None:
        self._client = None
        self.next_attempt = None
        log.warning("MCP server %s: %s", self.spec.name, reason)
        self._set("failed", reason)

    def describe_state(self) -> str:
        name = self.spec.name
        if self.state == "retrying" and self.next_attempt is not None:
            wait = max(self.next_attempt - time.time(), 0)
            return (f"the MCP server {name} is not connected ({self.reason}); the next attempt "
                    f"is in {wait:.0f} s")
        if self.state == "failed":
            return f"the MCP server {name} failed: {self.reason}"
        return f"the MCP server {name} is {self.state}"


def _uncancel() -> None:
    task = asyncio.current_task()
    if task is not None:
        while task.cancelling():
            task.uncancel()


def _is_protocol_error(err: Exception) -> bool:
    """An error the server answered with (the connection is fine), not a lost connection."""
    import mcp.types as mt
    from mcp import MCPError

    if not isinstance(err, MCPError):
        return False
    return err.error.code != mt.CONNECTION_CLOSED


def describe(err: BaseException) -> str:
    """One line for an error, looking inside exception groups."""
    while isinstance(err, BaseExceptionGroup) and err.exceptions:
        err = err.exceptions[0]
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
