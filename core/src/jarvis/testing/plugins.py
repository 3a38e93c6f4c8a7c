"""Building blocks for plugin tests: the scripted model as a plugin, the loopback allowance of
the outbound guard, a plugin's context, hand-made tool contexts, the policies' decision and the
installed entry points. Every name here is public (docs/testing-plugins.md).

    model = ScriptedProvider(id="fake", models=("echo",))
    app = make_app(my_plugin, ModelPlugin(model))
    allow_loopback(app, fake.port)          # the guarded client may reach the fake
    result = await run_tool(user_client, "my_tool", text="hi")
    db = plugin_context(user_client, "my_plugin").db
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from aiohttp import web

from ..context import PluginContext, app_context
from ..keys import DATABASE, OUTBOUND_HTTP, REGISTRY, SETTINGS, SUPERVISOR
from ..markers import PROJECT, hookimpl
from ..models.tables import table_of
from ..plugins import Registry
from ..policy import Decision, Policy, PolicyRequest
from ..providers.base import ModelProvider
from ..run_requests import AgentConfig, RunRequest
from ..runtime.authorize import check_all, check_request
from ..runtime.context import RunCredentials
from ..security import GuardedHttp, OutboundPolicy
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


def _app(app_or_client: Any) -> web.Application:
    return app_or_client if isinstance(app_or_client, web.Application) else app_or_client.app


def plugin_context(app_or_client: Any, plugin: str) -> PluginContext:
    """The :class:`jarvis.PluginContext` ``plugin`` has in this app (or a client's app)."""
    app = _app(app_or_client)
    known = app[REGISTRY].plugins
    if plugin not in known and plugin != "core":
        raise KeyError(f"no plugin {plugin!r} in this app (loaded: {', '.join(sorted(known))})")
    return app_context(app, plugin)


def contributions(app_or_client: Any) -> Registry:
    """What the plugins contributed: ``.tools`` (by name), ``.policies`` (by resource),
    ``.triggers``, ``.tool_sources``, ``.plugins`` (by name) and ``.routes``. Read only."""
    return _app(app_or_client)[REGISTRY]


def trigger_state(app_or_client: Any, trigger: str) -> dict[str, Any]:
    """A trigger's state as ``GET /api/plugins`` shows it (``state``, ``detail``, ...)."""
    return _app(app_or_client)[SUPERVISOR].states[trigger].as_dict()


def user_folder(app_or_client: Any, user: UserRef) -> Path:
    """Where ``user``'s own files live (the folder the file tools and uploads use)."""
    return user_folders.folder_path(_app(app_or_client)[SETTINGS], user.id)


async def audit_entries(app_or_client: Any, **match: Any) -> list[dict[str, Any]]:
    """The audit log's entries, oldest first, whose columns equal ``match``
    (``action="email_whitelist_added"``, ``kind="denial"``, ...)."""
    from sqlalchemy import select

    from ..models.audit import AuditEntry

    table = table_of(AuditEntry)
    query = select(table).order_by(table.c.id)
    for column, value in match.items():
        query = query.where(table.c[column] == value)
    async with _app(app_or_client)[DATABASE].read() as conn:
        return [dict(row._mapping) for row in (await conn.execute(query)).all()]


def cheap_vault_keys(monkeypatch: Any) -> None:
    """Cheaper key derivation for the vault's key, for start-up speed in tests."""
    from ..services import crypto

    monkeypatch.setattr(crypto, "SCRYPT_PARAMS", {"n": 2**14, "r": 8, "p": 1})


def fixed_canary(monkeypatch: Any, token: str | None = None) -> str:
    """Make the next runs plant ``token`` (default: a fresh one) as their canary; returns it."""
    from ..runtime import runner
    from ..security import new_canary

    token = token or new_canary()
    monkeypatch.setattr(runner, "new_canary", lambda: token)
    return token


def use_outbound_http(app_or_client: Any, http: GuardedHttp) -> GuardedHttp:
    """Give the app, before it starts, this guarded client (the one tools and plugin contexts
    use), e.g. one from :func:`loopback_http` that may reach a test's loopback fakes. Settings
    never can. A running app's state is frozen: widen its client with :func:`allow_loopback`."""
    app = _app(app_or_client)
    if app.frozen:
        raise RuntimeError("the app is running: allow_loopback(app, port) widens its client")
    app[OUTBOUND_HTTP] = http
    return http


async def decide(app_or_client: Any, request: PolicyRequest | list[PolicyRequest],
                 ctx: ToolContext) -> Decision:
    """What the registered policies decide about ``request`` (or a whole call's requests),
    combined by the runtime's own rules."""
    policies = contributions(app_or_client).policies
    if isinstance(request, PolicyRequest):
        return (await check_request(policies, request, ctx)).decision
    return (await check_all(policies, request, ctx)).decision


class AnswerAsks:
    """An authorizer for :func:`tool_context`: the registered policies decide (see
    :func:`decide`) and every ask is answered ``approve``, as the user in chat would;
    ``seen`` records each value asked about with the policies' decision."""

    def __init__(self, app_or_client: Any, approve: bool = False):
        self.app = _app(app_or_client)
        self.approve = approve
        self.seen: list[tuple[str, Decision]] = []

    async def __call__(self, request: PolicyRequest, ctx: ToolContext) -> Decision:
        decision = await decide(self.app, request, ctx)
        self.seen.append((str(request.value), decision))
        if decision.verdict == "ask":
            return Decision("allow", "confirmed") if self.approve else Decision(
                "deny", "not confirmed")
        return decision


def _loopback_entries(servers: tuple[int | str, ...]) -> list[str]:
    return [f"127.0.0.1:{s}" if isinstance(s, int) else s for s in servers] or ["127.0.0.1"]


def loopback_http(*servers: int | str, **options: Any) -> GuardedHttp:
    """A guarded client that may also reach these loopback servers: ports on 127.0.0.1 or
    ``host[:port]`` entries (none: any port on 127.0.0.1). ``options`` go to GuardedHttp."""
    return GuardedHttp(allow_loopback_for_tests=_loopback_entries(servers), **options)


def allow_loopback(app_or_client: Any, *servers: int | str, **options: Any) -> GuardedHttp:
    """Let the app's guarded client reach these loopback servers (as :func:`loopback_http`
    names them). Before the app starts it gets a client of its own (``options`` go to
    GuardedHttp); a running app keeps its client, whose allowance grows by these servers (its
    other rules and options stay as they are, and its settings are never touched)."""
    app = _app(app_or_client)
    if not app.frozen:
        return use_outbound_http(app, loopback_http(*servers, **options))
    if options:
        raise TypeError(f"a running app's client keeps its options: {', '.join(options)}")
    http = app[OUTBOUND_HTTP]
    old = http.policy
    http.policy = OutboundPolicy(old.allowed_private_hosts,
                                 old.allow_loopback_for_tests | set(_loopback_entries(servers)))
    return http


def tool_context(app_or_client: Any, user: UserRef, *, plugin: str = "core",
                 kind: RunKind = "chat", allowed_tools: list[str] | None = None,
                 user_folder: Path | None = None, authorizer: Any = None,
                 http: GuardedHttp | None = None) -> ToolContext:
    """A context like the one the runtime gives a tool of ``plugin``, for calling tools
    directly. Without ``authorizer``, :meth:`ToolContext.authorize` denies."""
    app = _app(app_or_client)
    context = app_context(app, plugin)
    folder = user_folder or user_folders.folder_path(context.settings, user.id)
    return ToolContext(user=user, run=RunRef("test-run", kind, allowed_tools=allowed_tools),
                       context=context, credentials=RunCredentials(app, user),
                       http=http or app[OUTBOUND_HTTP], user_folder=folder,
                       authorizer=authorizer)


async def run_tool(client: Any, name: str, /, ctx: ToolContext | None = None,
                   **args: Any) -> ToolResult:
    """Run the tool ``name`` with ``args`` as the client's user (``client.user``), in ``ctx``
    (default: a chat run's :func:`tool_context`)."""
    tool = contributions(client).tools[name]
    ctx = ctx or tool_context(client, client.user, plugin=tool.plugin)
    return await tool.run(tool.Input.model_validate(args), ctx)


def agent_run(user: UserRef, prompt: str = "Help me.", **agent: Any) -> RunRequest:
    """A headless run of ``user``'s agent "agent-1"; ``agent`` holds more of its AgentConfig
    (``allowed_tools``, ``max_tool_calls``, ...)."""
    return RunRequest(kind="agent", user=user, agent_id="agent-1",
                      agent=AgentConfig(prompt=prompt, **agent))


def installed_plugins() -> dict[str, str]:
    """The plugins installed as entry points: name -> module."""
    return {ep.name: ep.value for ep in entry_points(group=PROJECT)}
