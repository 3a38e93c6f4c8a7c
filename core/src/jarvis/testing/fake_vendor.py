"""The common part of the fake model vendors: a loopback aiohttp server that records requests
and answers chat requests from a script."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .loopback import LoopbackServer
from .script import Fail, Hang, Malformed, Reply, Script, Turn, after_hang, stall, unroll


@dataclass(slots=True)
class RecordedRequest:
    """One request the fake received, as the test sees it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    query: dict[str, str] = field(default_factory=dict)
    json: Any = None  # the parsed body, or None when there was none (or it was not JSON)


class FakeVendor(LoopbackServer):
    """Base of the fake vendors: start/stop, request log, script, API key check, and the path of
    a chat request (subclasses give the vendor's shapes)."""

    runner_options = {
        # handler_cancellation: like a real server, stop a handler whose client went away
        "handle_signals": False, "access_log": None, "shutdown_timeout": 0.2,
        "handler_cancellation": True,
    }
    checks_key = True  # whether requests must present ``api_key``
    required_fields: tuple[str, ...] = ("model", "messages")  # of a chat request's body
    required_message = "model and messages are required"  # the vendor's 400 when one is missing
    streams_by_default = False  # whether a chat request without "stream" is answered streamed
    request_id_header = "x-request-id"  # the header that names each answer, as the vendor's

    def __init__(self, *turns: Turn, api_key: str = "test-key", host: str = "127.0.0.1"):
        super().__init__(host)
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.models_error: Turn | None = None  # a Fail or Hang for the model listing
        self._script = Script(turns)
        self._handlers: set[asyncio.Task[Any]] = set()
        self._arrived = asyncio.Condition()

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._record], client_max_size=64 * 1024**2)
        self.add_routes(app)
        return app

    async def close(self) -> None:
        """Stop serving; stalled handlers are cancelled."""
        for task in list(self._handlers):
            task.cancel()
        await super().close()

    # -- scripting and inspection ------------------------------------------------------------

    def script(self, *turns: Turn) -> None:
        """Queue the next answers (after those still pending)."""
        self._script.add(*turns)

    def reset(self) -> None:
        """Forget pending turns, recorded requests and the listing error."""
        self._script.clear()
        self.requests.clear()
        self.models_error = None

    @property
    def pending(self) -> int:
        """Scripted turns not used yet."""
        return self._script.pending

    def received(self, path: str) -> list[RecordedRequest]:
        """The requests made to ``path``, oldest first."""
        return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        """How many requests ``path`` received."""
        return len(self.received(path))

    async def wait_for(self, path: str, n: int = 1, within: float = 5.0) -> RecordedRequest:
        """Wait until ``path`` has received ``n`` requests; return the n-th."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: self.count(path) >= n), within)
        return self.received(path)[n - 1]

    # -- for subclasses ----------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        """Register the vendor's endpoints."""
        raise NotImplementedError

    def error_response(self, status: int, message: str, retry_after: float | None) -> web.Response:
        """The vendor's error answer for ``status``."""
        raise NotImplementedError

    def last_user_text(self, body: dict[str, Any]) -> str:
        """The text of the last user (or tool) message of a chat request."""
        raise NotImplementedError

    # the start of a non-streamed answer, cut off: what a malformed turn sends
    broken_answer = "{"

    def whole_answer(self, body: dict[str, Any], turn: Reply) -> web.Response:
        """The vendor's non-streamed answer for ``turn``."""
        raise NotImplementedError

    def streamed_answer(self, request: web.Request, body: dict[str, Any]) -> StreamedAnswer:
        """The vendor's stream for one chat request."""
        raise NotImplementedError

    # -- shared by the vendors ---------------------------------------------------------------

    def json_error(self, status: int, body: dict[str, Any],
                   retry_after: float | None) -> web.Response:
        """An error answer: ``body`` with the vendor's request id (and Retry-After, if given)."""
        headers = {self.request_id_header: f"req_{uuid.uuid4().hex[:24]}"}
        if retry_after is not None:
            headers["retry-after"] = f"{retry_after:g}"
        return web.json_response(body, status=status, headers=headers)

    def denied(self, request: web.Request) -> web.Response | None:
        """The vendor's 401 answer unless the request presents the API key."""
        if self.checks_key and self.presented_key(request) != self.api_key:
            return self.error_response(401, "", None)
        return None

    async def listing_failure(self) -> web.Response | None:
        """The scripted failure of the model listing as the vendor's error answer, or None."""
        if self.models_error is None:
            return None
        failure = await unroll(self.models_error, lambda: Fail(500))
        if isinstance(failure, Fail):
            return self.error_response(failure.status, failure.message, failure.retry_after)
        return None

    async def chat(self, request: web.Request) -> web.StreamResponse:
        """A chat request: key and body checks, then the next turn, whole or streamed."""
        if denied := self.denied(request):
            return denied
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not all(body.get(f) for f in self.required_fields):
            return self.error_response(400, self.required_message, None)
        text = self.last_user_text(body)
        stream = body.get("stream")
        if not (self.streams_by_default if stream is None else stream):
            turn = await unroll(self.next_turn(text), lambda: self.next_turn(text))
            if isinstance(turn, Fail):
                return self.error_response(turn.status, turn.message, turn.retry_after)
            if isinstance(turn, Malformed):
                return web.Response(text=self.broken_answer, content_type="application/json")
            return self.whole_answer(body, turn)
        streamed = await self.unless_stalled(self.next_turn(text), text)
        if isinstance(streamed, Fail) and streamed.after_text is None:
            return self.error_response(streamed.status, streamed.message, streamed.retry_after)
        return await self.streamed_answer(request, body).play(streamed)

    def presented_key(self, request: web.Request) -> str | None:
        """The API key the client sent, from ``x-api-key`` or ``Authorization: Bearer``."""
        key = request.headers.get("x-api-key")
        if key:
            return key
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def next_turn(self, last_user_text: str) -> Turn:
        """The next scripted turn for a chat request."""
        return self._script.next(last_user_text)

    async def unless_stalled(self, turn: Turn, last_user_text: str) -> Turn:
        """Play out hangs before any answer is sent; return the turn that answers afterwards."""
        while isinstance(turn, Hang) and not turn.after_text:
            await stall(turn)
            turn = after_hang(turn, lambda: self.next_turn(last_user_text))
        return turn

    # -- internals -------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
        self.requests.append(
            RecordedRequest(
                request.method,
                request.path,
                {k.lower(): v for k, v in request.headers.items()},
                dict(request.query),
                body,
            )
        )
        async with self._arrived:
            self._arrived.notify_all()
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            return await handler(request)
        finally:
            if task is not None:
                self._handlers.discard(task)


class StreamedAnswer:
    """One streamed answer: hangs played out, then a failure, a broken end or the reply."""

    def __init__(self, request: web.Request, body: dict[str, Any], headers: dict[str, str]):
        self.request, self.body = request, body
        self.response = web.StreamResponse(headers=headers)

    async def play(self, turn: Turn) -> web.StreamResponse:
        await self.response.prepare(self.request)
        await self.begin(turn)
        while isinstance(turn, Hang):
            await self.text(turn.after_text)
            await stall(turn)
            turn = turn.then if turn.then is not None else Reply("")
        if isinstance(turn, Fail):
            await self.text(turn.after_text or "")
            await self.fail(turn)
        elif isinstance(turn, Malformed):
            await self.text(turn.after_text)
            if turn.kind == "cut":
                # drop the socket mid-body: the client sees an incomplete chunked response
                if self.request.transport is not None:
                    self.request.transport.close()
                return self.response
            await self.broken()
        else:
            await self.reply(turn)
        await self.response.write_eof()
        return self.response

    async def begin(self, turn: Turn) -> None:
        """What the vendor sends before any text (``turn`` is the first one, maybe a hang)."""

    async def text(self, text: str) -> None:
        """Stream ``text`` in pieces."""
        raise NotImplementedError

    async def fail(self, turn: Fail) -> None:
        """The vendor's error event mid-stream."""
        raise NotImplementedError

    async def broken(self) -> None:
        """A malformed piece of the stream."""
        raise NotImplementedError

    async def reply(self, turn: Reply) -> None:
        """The reply's text, tool calls and end."""
        raise NotImplementedError
