"""Fixtures for the runtime tests: a scripted model, small test tools and policies, and chat
clients that speak the WebSocket protocol."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
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
)
from jarvis.keys import RUNTIME
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, fake_model
from pydantic import BaseModel

from tests.support.tools import Lookup, Post, SendNote, TextArgs


class UrlArgs(BaseModel):
    url: str


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
    return [ModelPlugin(model, tools=tools.values(), policies=policies)]


@pytest.fixture
def jarvis_settings() -> dict[str, Any]:
    return {"disable_plugins": BUILTIN_PROVIDERS}


@pytest.fixture
def runtime(anon_client):
    return anon_client.app[RUNTIME]


@pytest.fixture
def chat_of():
    """``await chat_of(client, session_id)``: a connected chat (intro frames read)."""
    return open_chat
