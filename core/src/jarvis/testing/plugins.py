"""Building blocks for plugin tests: the scripted model as a plugin, the loopback allowance of
the outbound guard, hand-made tool contexts, and the installed entry points.

    model = ScriptedProvider(id="fake", models=("echo",))
    app = make_app(my_plugin, ModelPlugin(model))
    allow_loopback(app, fake.port)          # before the app starts
    result = await run_tool(user_client, "my_tool", text="hi")
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from aiohttp import web

from ..keys import OUTBOUND_HTTP, REGISTRY, SETTINGS
from ..markers import PROJECT, hookimpl
from ..policy import Policy
from ..providers.base import ModelProvider
from ..runtime.context import RunCredentials
from ..runtime.requests import AgentConfig, RunRequest
from ..security import GuardedHttp
from ..services import user_folders
from ..tools import RunKind, RunRef, Tool, ToolContext, ToolResult, UserRef

# Nothing is built in any more: the model providers are plugins (jarvis-anthropic,
# jarvis-litellm) that an app with an explicit plugin list loads only when listed. Tests written
# when they were built in disable these; the list stays empty so they keep working.
BUILTIN_PROVIDERS: list[str] = []


class ModelPlugin:
    """Registers model providers (usually one ScriptedProvider), plus any test tools and
    policies, as one plugin."""

    def __init__(self, *providers: ModelProvider, tools: Iterable[Tool] = (),
                 policies: Iterable[Policy] = (), name: str = "scripted_model"):
        self.providers = list(providers)
        self.tools = list(tools)
        self.policies = list(policies)
        self.__name__ = name

    @hookimpl
    def register_providers(self, settings: Any) -> list[ModelProvider]:
        return self.providers

    @hookimpl
    def register_tools(self, settings: Any) -> list[Tool]:
        return self.tools

    @hookimpl
    def register_policies(self, settings: Any) -> list[Policy]:
        return self.policies


def loopback_http(*servers: int | str, **options: Any) -> GuardedHttp:
    """A guarded client that may also reach these loopback servers: ports on 127.0.0.1 or
    ``host[:port]`` entries (none: any port on 127.0.0.1). ``options`` go to GuardedHttp."""
    allowed = [f"127.0.0.1:{s}" if isinstance(s, int) else s for s in servers] or ["127.0.0.1"]
    return GuardedHttp(allow_loopback_for_tests=allowed, **options)


def allow_loopback(app: web.Application, *servers: int | str, **options: Any) -> GuardedHttp:
    """Give ``app`` (before it starts) a guarded client that may reach these loopback servers."""
    app[OUTBOUND_HTTP] = http = loopback_http(*servers, **options)
    return http


def tool_context(app: web.Application, user: UserRef, *, kind: RunKind = "chat",
                 allowed_tools: list[str] | None = None, user_folder: Path | None = None,
                 authorizer: Any = None) -> ToolContext:
    """A context like the one the runtime gives a tool, for calling tools directly."""
    folder = user_folder or user_folders.folder_path(app[SETTINGS], user.id)
    return ToolContext(user=user, run=RunRef("test-run", kind, allowed_tools=allowed_tools),
                       app=app, credentials=RunCredentials(app, user), http=app[OUTBOUND_HTTP],
                       user_folder=folder, authorizer=authorizer)


async def run_tool(client: Any, name: str, /, ctx: ToolContext | None = None,
                   **args: Any) -> ToolResult:
    """Run the tool ``name`` with ``args`` as the client's user (``client.user``), in ``ctx``
    (default: a chat run's :func:`tool_context`)."""
    tool = client.app[REGISTRY].tools[name]
    ctx = ctx or tool_context(client.app, client.user)
    return await tool.run(tool.Input.model_validate(args), ctx)


def agent_run(user: UserRef, prompt: str = "Help me.", **agent: Any) -> RunRequest:
    """A headless run of ``user``'s agent "agent-1"; ``agent`` holds more of its AgentConfig
    (``allowed_tools``, ``max_tool_calls``, ...)."""
    return RunRequest(kind="agent", user=user, agent_id="agent-1",
                      agent=AgentConfig(prompt=prompt, **agent))


def installed_plugins() -> dict[str, str]:
    """The plugins installed as entry points: name -> module."""
    return {ep.name: ep.value for ep in entry_points(group=PROJECT)}
