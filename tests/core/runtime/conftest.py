"""Fixtures for the runtime tests: a scripted model, small test tools and policies, and a chat
client that speaks the WebSocket protocol."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import WSMsgType
from jarvis import (
    Decision,
    Policy,
    PolicyRequest,
    StaticPolicy,
    Tool,
    ToolContext,
    ToolResult,
    ask,
    deny,
    hookimpl,
)
from jarvis.keys import RUNTIME
from jarvis.testing.scripted import ScriptedProvider, fake_model
from pydantic import BaseModel


class TextArgs(BaseModel):
    text: str


class UrlArgs(BaseModel):
    url: str


class Lookup(Tool):
    """No confirmation, no policy: answers at once."""

    name = "lookup"
    group = "info"
    description = "Look something up."
    Input = TextArgs

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"found: {args.text}")


class SendNote(Tool):
    """Always asks the user first; acts on the world."""

    name = "send_note"
    group = "notes"
    description = "Send a note to someone."
    Input = TextArgs
    side_effect = True

    def __init__(self) -> None:
        self.sent: list[str] = []

    def requires_confirmation(self, args: TextArgs) -> bool:
        return True

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        self.sent.append(args.text)
        return ToolResult(content=f"sent: {args.text}", summary="note sent")


class Post(Tool):
    """A side effect that needs no confirmation unless the run is tainted."""

    name = "post"
    group = "notes"
    description = "Post a message."
    Input = TextArgs
    side_effect = True

    def __init__(self) -> None:
        self.posted: list[str] = []

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        self.posted.append(args.text)
        return ToolResult(content="posted")


class ReadMail(Tool):
    """Returns outside content (taints the run)."""

    name = "read_mail"
    group = "mail"
    description = "Read the inbox."
    Input = TextArgs
    reads_untrusted = True

    def __init__(self) -> None:
        self.content = "Hello from Carol"

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=self.content)


class Fetch(Tool):
    """Touches a resource the policies decide about."""

    name = "fetch"
    group = "web"
    description = "Fetch a page."
    Input = UrlArgs

    def policy_requests(self, args: UrlArgs) -> list[PolicyRequest]:
        return [PolicyRequest("test.url", args.url)]

    async def run(self, args: UrlArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"page {args.url}")


class Visit(Tool):
    """Touches a site the policy asks about (remembering the answer per domain)."""

    name = "visit"
    group = "web"
    description = "Visit a site."
    Input = UrlArgs

    def policy_requests(self, args: UrlArgs) -> list[PolicyRequest]:
        return [PolicyRequest("test.site", args.url)]

    async def run(self, args: UrlArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"visited {args.url}")


class AskPerDomain(Policy):
    resource = "test.site"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        domain = request.value.split("/")[2]
        return ask(f"{domain} is a new site", remember=domain)


class Unguarded(Tool):
    """Touches a resource no policy covers."""

    name = "unguarded"
    group = "misc"
    description = "Touch an unknown resource."
    Input = TextArgs

    def policy_requests(self, args: TextArgs) -> list[PolicyRequest]:
        return [PolicyRequest("nobody.covers", args.text)]

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content="should not run")


class Gate(Tool):
    """Waits until the test opens the gate (to hold a run between steps)."""

    name = "gate"
    group = "misc"
    description = "Wait."
    Input = TextArgs

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.open = asyncio.Event()

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        self.entered.set()
        await self.open.wait()
        return ToolResult(content="gate passed")


class Broken(Tool):
    """Raises instead of returning a result."""

    name = "broken"
    group = "misc"
    description = "Fail."
    Input = TextArgs

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        raise RuntimeError("boom")


class Secretive(Tool):
    """Reads the user's secret and (carelessly) returns it."""

    name = "secretive"
    group = "misc"
    description = "Leak a secret."
    Input = TextArgs

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        value = await ctx.credentials.get_user("token")
        return ToolResult(content=f"the token is {value}")


class RuntimePlugin:
    """The scripted model plus the test tools and policies, registered as one plugin."""

    __name__ = "runtime_test"

    def __init__(self, provider: ScriptedProvider, tools: list[Tool], policies: list[Any]):
        self.provider = provider
        self.tools = tools
        self.policies = policies

    @hookimpl
    def register_providers(self, settings):
        return [self.provider]

    @hookimpl
    def register_tools(self, settings):
        return self.tools

    @hookimpl
    def register_policies(self, settings):
        return self.policies


@pytest.fixture
def model() -> ScriptedProvider:
    """The scripted model: ``fake:echo`` (sees images) and ``fake:blind`` (does not)."""
    return ScriptedProvider(id="fake", models=("echo", fake_model("blind", "fake", vision=False)))


@pytest.fixture
def tools() -> dict[str, Tool]:
    found = [Lookup(), SendNote(), Post(), ReadMail(), Fetch(), Visit(), Unguarded(), Gate(),
             Broken(), Secretive()]
    return {t.name: t for t in found}


@pytest.fixture
def jarvis_plugins(model, tools) -> list[Any]:
    policies = [StaticPolicy("test.url", deny("blocked site")), AskPerDomain()]
    return [RuntimePlugin(model, list(tools.values()), policies)]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": ["anthropic", "litellm"]}


@pytest.fixture
def runtime(anon_client):
    return anon_client.app[RUNTIME]


class Chat:
    """One WebSocket of the chat protocol, read frame by frame."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.seen: list[dict[str, Any]] = []

    async def send(self, **frame: Any) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def recv(self, seconds: float = 15.0) -> dict[str, Any]:
        msg = await self.ws.receive(timeout=seconds)
        assert msg.type == WSMsgType.TEXT, f"expected a text frame, got {msg.type} {msg.data!r}"
        frame = json.loads(msg.data)
        self.seen.append(frame)
        return frame

    async def until(self, *types: str, seconds: float = 15.0) -> list[dict[str, Any]]:
        """Frames up to and including the first of one of ``types``."""
        frames = []
        while True:
            frame = await self.recv(seconds)
            frames.append(frame)
            if frame["type"] in types:
                return frames

    async def say(self, content: str, **extra: Any) -> list[dict[str, Any]]:
        """Send a message and read its run to the end (``done`` or ``error``)."""
        await self.send(type="message", content=content, **extra)
        return await self.until("done", "error")

    async def until_closed(self, seconds: float = 15.0) -> tuple[list[dict[str, Any]], int]:
        """Frames up to the server's close, and the close code."""
        frames = []
        while True:
            msg = await self.ws.receive(timeout=seconds)
            if msg.type != WSMsgType.TEXT:
                assert msg.type == WSMsgType.CLOSE, f"expected a close, got {msg.type}"
                return frames, msg.data
            frames.append(json.loads(msg.data))
            self.seen.append(frames[-1])

    async def close(self) -> None:
        await self.ws.close()


async def open_chat(client: Any, session_id: str = "s1", skip_intro: bool = True) -> Chat:
    """Connect to ``/ws/{session_id}``; by default read the ``models`` and ``session`` frames."""
    chat = Chat(await client.ws_connect(f"/ws/{session_id}"))
    if skip_intro:
        await chat.recv()
        await chat.recv()
    return chat


@pytest.fixture
def chat_of():
    """``await chat_of(client, session_id)``: a connected chat (intro frames read)."""
    return open_chat


def text_of(frames: list[dict[str, Any]]) -> str:
    return "".join(f["content"] for f in frames if f["type"] == "text")


async def wait_for(predicate: Any, seconds: float = 5.0) -> Any:
    """Poll ``predicate`` until it returns something truthy (and return that)."""
    async with asyncio.timeout(seconds):
        while not (value := predicate()):  # noqa: ASYNC110 - state of the server, no event for it
            await asyncio.sleep(0.01)
    return value
