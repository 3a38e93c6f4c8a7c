"""The plugin context: everything a plugin may reach, one per plugin per app.

Every hook may take a ``context`` argument, routes get it with :func:`plugin_context`, tools as
``ctx.context``, triggers as ``emit.context`` and tool sources as the first argument of
``tools``. A plugin needs nothing else from the server: the app and its keys are the core's.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from aiohttp import web
from pydantic import BaseModel

if TYPE_CHECKING:
    from .db import Database
    from .run_requests import AgentConfig, RunOutcome, RunRequest
    from .security.http import GuardedHttp
    from .services.audit import AuditEvent
    from .settings import Settings
    from .tools import Tool, ToolSource, UserRef
    from .triggers import Trigger

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class Secrets(Protocol):
    """The credential vault: ``system:<name>`` and ``user:<id>:<name>`` keys, encrypted at rest."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str, description: str | None = "") -> None: ...

    async def delete(self, key: str) -> bool: ...

    async def exists(self, key: str) -> bool: ...


class Audit(Protocol):
    """The append-only audit log."""

    async def record(self, event: AuditEvent) -> int: ...


class PluginContext:
    """What one plugin may reach in one app. Made by the core; plugins only read it.

    ``settings``, :meth:`plugin_settings` and ``state`` work from the first hook on; the
    database, vault, audit log, HTTP client and runs once the app is built (in routes, tools,
    triggers, tool sources and ``on_startup``), else they raise ``RuntimeError``.
    """

    def __init__(self, name: str, settings: Settings, registry: Any = None):
        self.name = name
        self.settings = settings
        self.state: dict[str, Any] = {}  # the plugin's own per-app state
        self._registry = registry
        self._app: web.Application | None = None

    def __repr__(self) -> str:
        return f"<PluginContext {self.name}>"

    def _bound(self) -> web.Application:
        if self._app is None:
            raise RuntimeError(f"plugin {self.name}: the server is not built yet; use the "
                               "context from a route, tool, trigger or on_startup")
        return self._app

    def _key(self, name: str) -> Any:
        from . import keys

        return self._bound()[getattr(keys, name)]

    # -- settings ----------------------------------------------------------------------------

    def plugin_settings(self, model: type[M]) -> M:
        """This plugin's ``[plugins.<name>]`` section, validated by ``model``."""
        return self.settings.plugin(self.name, model)

    def runtime_settings(self, section: str) -> Any:
        """One section of the settings an admin changes while the server runs (``limits``,
        ``security``, ``general``, ``storage``, ...), as its current pydantic model."""
        return self._key("CONFIG").get(section)

    @property
    def time_zone(self) -> str:
        """The zone times are shown in: the admin's ``general.time_zone``, else the server's."""
        return self.runtime_settings("general").time_zone or self.settings.time_zone

    # -- the server's parts ------------------------------------------------------------------

    @property
    def db(self) -> Database:
        return self._key("DATABASE")

    @property
    def vault(self) -> Secrets:
        return self._key("VAULT")

    @property
    def audit(self) -> Audit:
        return self._key("AUDIT")

    @property
    def http(self) -> GuardedHttp:
        """The guarded outbound HTTP client (its ``policy`` also checks non-HTTP hosts)."""
        return self._key("OUTBOUND_HTTP")

    # -- this plugin's contributions ---------------------------------------------------------

    def _registry_now(self) -> Any:
        return self._registry if self._registry is not None else self._key("REGISTRY")

    @property
    def triggers(self) -> list[Trigger]:
        """The triggers this plugin registered."""
        return [t for t in self._registry_now().triggers if t.plugin == self.name]

    @property
    def tool_sources(self) -> list[ToolSource]:
        """The tool sources this plugin registered."""
        return [s for s in self._registry_now().tool_sources if s.plugin == self.name]

    @property
    def registered_tools(self) -> Mapping[str, Tool]:
        """Every plugin's tools by name, read-only: what a run may be offered (e.g. to narrow
        a sub-run's ``allowed_tools`` to what its caller may use)."""
        return MappingProxyType(self._registry_now().tools)

    def own(self, kind: type[T]) -> T | None:
        """This plugin's trigger or tool source of class ``kind`` (None when not registered)."""
        for item in [*self.triggers, *self.tool_sources]:
            if isinstance(item, kind):
                return item
        return None

    # -- runs and agents ---------------------------------------------------------------------

    async def start_run(self, request: RunRequest) -> str:
        """Queue a run and return its id at once."""
        return await self._key("RUNTIME").start(request)

    async def wait_run(self, run_id: str) -> RunOutcome:
        """The outcome of a run, once it has ended."""
        return await self._key("RUNTIME").wait(run_id)

    async def run(self, request: RunRequest) -> RunOutcome:
        """Start a run and wait for its outcome."""
        return await self._key("RUNTIME").run(request)

    def stop_run(self, run_id: str) -> bool:
        """Stop a run of this server process (and the sub-runs it waits for) at its next step;
        False when it is not running here."""
        return bool(self._key("RUNTIME").stop(run_id))

    async def list_runs(self, user_id: str, *, status: str | None = None,
                        agent_id: str | None = None, limit: int = 20) -> tuple[list[dict], int]:
        """``user_id``'s runs, newest first, and how many match."""
        from .pagination import Window

        found = await self._key("RUNTIME").store.page(
            {"status": status, "agent_id": agent_id}, user_id, Window(per_page=max(1, limit)))
        return found.rows, found.total

    async def get_run(self, run_id: str, user_id: str) -> dict[str, Any] | None:
        """One run of ``user_id`` (None when there is none, or it is another user's)."""
        row = await self._key("RUNTIME").store.get(run_id)
        return row if row is not None and row["user_id"] == user_id else None

    async def load_agent(self, agent_id: str, user_id: str) -> AgentConfig | None:
        """The config of ``user_id``'s agent (None when there is none, or another user's)."""
        from .runtime.agent_loader import load_agent

        return await load_agent(self._bound(), agent_id, user_id)

    async def list_agents(self, user: UserRef) -> list[dict[str, Any]]:
        """``user``'s agents as ``GET /api/agents`` shows them."""
        from .services.agents import list_agents

        return await list_agents(self.db, user, self.settings.time_zone)

    async def agent_run_request(self, user: UserRef, agent_id: str,
                                message: str | None = None) -> RunRequest:
        """The request that runs ``user``'s agent now (``message`` replaces its first one)."""
        from .services.agents import run_request

        return await run_request(self.db, user, agent_id, message)


class PluginContexts:
    """The contexts of one app's plugins, made on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.registry: Any = None
        self._app: web.Application | None = None
        self._made: dict[str, PluginContext] = {}

    def __getitem__(self, name: str) -> PluginContext:
        found = self._made.get(name)
        if found is None:
            found = self._made[name] = PluginContext(name, self.settings, self.registry)
            found._app = self._app
        return found

    def bind(self, app: web.Application, registry: Any) -> None:
        """The app is built: the contexts reach its parts from now on."""
        self._app, self.registry = app, registry
        for ctx in self._made.values():
            ctx._app, ctx._registry = app, registry


def plugin_context(request: web.Request) -> PluginContext:
    """The context of the plugin whose route is handling ``request``."""
    from .keys import PLUGIN_CONTEXTS, ROUTE_OWNERS

    app = request.config_dict
    owner = app[ROUTE_OWNERS].get(request.match_info.route.handler, "core")
    return app[PLUGIN_CONTEXTS][owner]


def app_context(app: web.Application, plugin: str) -> PluginContext:
    """The context of ``plugin`` in ``app`` (the test kit and the core use this)."""
    from .keys import PLUGIN_CONTEXTS

    return app[PLUGIN_CONTEXTS][plugin]
