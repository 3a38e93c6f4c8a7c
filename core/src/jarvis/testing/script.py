"""Scripted model turns shared by the fake vendor servers and the in-process fake provider."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Call:
    """One tool call the scripted model makes."""

    name: str
    arguments: dict[str, Any]
    id: str = ""


@dataclass(slots=True)
class Reply:
    """A model answer: some text, then zero or more tool calls."""

    text: str = ""
    calls: list[Call] = field(default_factory=list)
    stop_reason: str | None = None  # None: "tool_use" when there are calls, else "end_turn"
    input_tokens: int | None = None  # None: a rough count of the request's words
    output_tokens: int | None = None  # None: a rough count of the answer's words

    @property
    def stop(self) -> str:
        """The stop reason as the Anthropic API names it."""
        return self.stop_reason or ("tool_use" if self.calls else "end_turn")


@dataclass(slots=True)
class Fail:
    """The vendor answers with an HTTP error, or with an error event after ``after_text``."""

    status: int
    message: str = ""
    retry_after: float | None = None
    after_text: str | None = None  # set: the stream starts, then an error event arrives


@dataclass(slots=True)
class Hang:
    """The vendor stalls: for ``seconds`` (None: until ``until`` is set or the caller gives up)."""

    seconds: float | None = None
    until: asyncio.Event | None = None
    then: Turn | None = None  # what follows the stall; None: the default echo
    after_text: str = ""  # text streamed before the stall


@dataclass(slots=True)
class Malformed:
    """A broken stream after ``after_text``: ``bad_json`` data or a ``cut`` connection."""

    kind: str = "bad_json"
    after_text: str = "Partial"


Turn = Reply | Fail | Hang | Malformed


def reply(
    text: str = "",
    *calls: Call,
    stop_reason: str | None = None,
    usage: tuple[int, int] | None = None,
) -> Reply:
    """A plain answer, optionally followed by tool calls made with :func:`call`."""
    tokens_in, tokens_out = usage if usage else (None, None)
    return Reply(text, list(calls), stop_reason, tokens_in, tokens_out)


def call(name: str, arguments: dict[str, Any] | None = None, *, id: str = "") -> Call:
    """A tool call for :func:`reply`; the id is generated when not given."""
    return Call(name, dict(arguments or {}), id)


def tool_use(
    name: str, arguments: dict[str, Any] | None = None, *, text: str = "", id: str = ""
) -> Reply:
    """An answer that calls one tool, after an optional bit of text."""
    return Reply(text, [call(name, arguments, id=id)])


def error(
    status: int,
    message: str = "",
    *,
    retry_after: float | None = None,
    after_text: str | None = None,
) -> Fail:
    """A vendor error with its usual body; ``after_text`` makes it arrive mid-stream."""
    return Fail(status, message, retry_after, after_text)


def hang(
    seconds: float | None = None,
    *,
    until: asyncio.Event | None = None,
    then: Turn | None = None,
    after_text: str = "",
) -> Hang:
    """A stall before (or, with ``after_text``, during) the answer."""
    return Hang(seconds, until, then, after_text)


def malformed(kind: str = "bad_json", *, after_text: str = "Partial") -> Malformed:
    """A broken stream: ``bad_json`` sends an unparsable event, ``cut`` drops the connection."""
    if kind not in ("bad_json", "cut"):
        raise ValueError(f"unknown malformed kind {kind!r}: use 'bad_json' or 'cut'")
    return Malformed(kind, after_text)


async def stall(turn: Hang) -> None:
    """Wait as the hang says: a time, an event, or forever (until cancelled)."""
    waiter = turn.until.wait() if turn.until else asyncio.Event().wait()
    if turn.seconds is None:
        await waiter
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(waiter, turn.seconds)


class Script:
    """A queue of turns; when it runs dry, the model echoes the last user text."""

    def __init__(self, turns: Iterable[Turn] = ()):
        self._turns: deque[Turn] = deque(turns)

    def add(self, *turns: Turn) -> None:
        """Queue more turns after the ones still pending."""
        self._turns.extend(turns)

    def clear(self) -> None:
        """Drop every pending turn."""
        self._turns.clear()

    @property
    def pending(self) -> int:
        """How many scripted turns are left."""
        return len(self._turns)

    def next(self, last_user_text: str) -> Turn:
        """The next scripted turn, or an echo of ``last_user_text``."""
        if self._turns:
            return self._turns.popleft()
        return echo(last_user_text)


def echo(text: str) -> Reply:
    """The default answer once a script is used up."""
    return Reply(f"Echo: {text}" if text else "Echo")


_WORD = re.compile(r"\S+\s*|\s+")


def text_chunks(text: str, words_per_chunk: int = 2) -> list[str]:
    """Split text the way a model streams it: a few words per delta, nothing lost."""
    words = _WORD.findall(text)
    return [
        "".join(words[i : i + words_per_chunk]) for i in range(0, len(words), words_per_chunk)
    ] or ([text] if text else [])


def json_chunks(value: dict[str, Any], size: int = 8) -> list[str]:
    """The JSON of a tool call's arguments in small pieces, as input_json_delta sends them."""
    raw = json.dumps(value)
    return [raw[i : i + size] for i in range(0, len(raw), size)]


def count_words(text: str) -> int:
    """A rough, deterministic token count."""
    return len(text.split())


def output_tokens(turn: Reply) -> int:
    """Output tokens for a reply: scripted, or counted from its text and calls."""
    if turn.output_tokens is not None:
        return turn.output_tokens
    counted = count_words(turn.text) + sum(1 + len(c.arguments) for c in turn.calls)
    return max(counted, 1)


def call_id(prefix: str, given: str) -> str:
    """The scripted id, or a fresh one in the vendor's style."""
    return given or f"{prefix}{uuid.uuid4().hex[:24]}"


def request_tokens(body: Any) -> int:
    """A rough, deterministic count of the words in every string of a request body."""
    if isinstance(body, str):
        return count_words(body)
    if isinstance(body, dict):
        return sum(request_tokens(v) for v in body.values())
    if isinstance(body, list):
        return sum(request_tokens(v) for v in body)
    return 0


def after_hang(turn: Hang, more: Callable[[], Turn]) -> Turn:
    """What follows a hang: its ``then``; else the rest of a started answer, or the next turn."""
    if turn.then is not None:
        return turn.then
    return Reply("") if turn.after_text else more()


async def unroll(turn: Turn, more: Callable[[], Turn]) -> Reply | Fail | Malformed:
    """For non-streamed answers: play out stalls, folding text sent before them into the reply.

    ``more`` gives the turn that follows a hang without ``then`` or streamed text.
    """
    prefix = ""
    while isinstance(turn, Hang):
        prefix += turn.after_text
        await stall(turn)
        turn = after_hang(turn, more)
    if isinstance(turn, Reply) and prefix:
        return Reply(
            prefix + turn.text, turn.calls, turn.stop_reason, turn.input_tokens, turn.output_tokens
        )
    return turn
