"""Fixtures for the runtime tests: a scripted model, small test tools and policies, and chat
clients that speak the WebSocket protocol."""

from __future__ import annotations

from typing import Any

import pytest
from jarvis import (
    Decision,
    Policy,
    PolicyRequest,
    StaticPolicy,
    Tool,
    ToolContext,
    ask,
    deny,
)
from jarvis.keys import RUNTIME
from jarvis.testing.chat import open_chat
from jarvis.testing.plugins import BUILTIN_PROVIDERS, ModelPlugin
from jarvis.testing.scripted import ScriptedProvider, fake_model
from pydantic import BaseModel

from tests.support.tools import TextArgs, answering_tool, lookup, post, send_note


class UrlArgs(BaseModel):
    url: str


class AskPerDomain(Policy):
    resource = "test.site"

    async def check(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        domain = request.value.split("/")[2]
        return ask(f"{domain} is a new site", remember=domain)


async def _boom(args: TextArgs, ctx: ToolContext) -> str:
    raise RuntimeError("boom")


async def _leak(args: TextArgs, ctx: ToolContext) -> str:
    return f"the token is {await ctx.credentials.get_user('token')}"


@pytest.fixture
def model() -> ScriptedProvider:
    """The scripted model: ``fake:echo`` (sees images) and ``fake:blind`` (does not)."""
    return ScriptedProvider(id="fake", models=("echo", fake_model("blind", "fake", vision=False)))


@pytest.fixture
def tools() -> dict[str, Tool]:
    found = [
        lookup(), send_note(), post(),
        # returns outside content (taints the run)
        answering_tool("read_mail", "mail", "Read the inbox.", "Hello from Carol",
                       reads_untrusted=True),
        # touches a resource the policies decide about
        answering_tool("fetch", "web", "Fetch a page.", "page {url}", Input=UrlArgs,
                       resource="test.url"),
        # touches a site the policy asks about (remembering the answer per domain)
        answering_tool("visit", "web", "Visit a site.", "visited {url}", Input=UrlArgs,
                       resource="test.site"),
        # touches a resource no policy covers
        answering_tool("unguarded", "misc", "Touch an unknown resource.", "should not run",
                       resource="nobody.covers"),
        # waits until the test releases it (to hold a run between steps)
        answering_tool("gate", "misc", "Wait.", "gate passed", held=True),
        answering_tool("broken", "misc", "Fail.", _boom),  # raises instead of answering
        # reads the user's secret and (carelessly) returns it
        answering_tool("secretive", "misc", "Leak a secret.", _leak),
    ]
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
