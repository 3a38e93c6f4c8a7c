"""The connections of one server process: one link per enabled MCP server, kept in step with
the database (at start-up, on every change made here, and now and then for other processes)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from jarvis import PluginContext

from . import servers
from .link import Link
from .settings import McpSettings

log = logging.getLogger("jarvis.mcp")


class McpManager:
    """Starts, restarts and stops the links as servers are added, changed and removed."""

    def __init__(self, context: PluginContext, settings: McpSettings):
        self.context = context
        self.settings = settings
        self.links: dict[str, Link] = {}
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.sync()
        self._task = asyncio.create_task(self._keep_in_step(), name="mcp:sync")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        async with self._lock:
            links, self.links = list(self.links.values()), {}
        await asyncio.gather(*(link.stop() for link in links))

    async def _keep_in_step(self) -> None:
        while True:
            await asyncio.sleep(self.settings.sync_interval)
            try:
                await self.sync()
            except Exception:
                log.exception("reading the MCP servers failed")

    async def sync(self) -> None:
        """Links for exactly the enabled servers, each on its current settings."""
        async with self._lock:
            specs = {s.id: s for s in await servers.enabled_specs(
                self.context.db, self.context.vault, self.settings)}
            stale = [link for sid, link in self.links.items()
                     if sid not in specs or specs[sid].version != link.spec.version]
            for link in stale:
                del self.links[link.spec.id]
            await asyncio.gather(*(link.stop() for link in stale))
            policy = self.context.http.policy
            for sid, spec in specs.items():
                if sid not in self.links:
                    link = self.links[sid] = Link(spec, policy, self.settings)
                    link.start()

    def link(self, server_id: str) -> Link | None:
        return self.links.get(server_id)

    def links_for(self, user_id: str) -> list[Link]:
        """The servers a user may use; their own wins over a shared one of the same name."""
        own = {x.spec.name: x for x in self.links.values() if x.spec.user_id == user_id}
        shared = [x for x in self.links.values()
                  if x.spec.shared and x.spec.user_id != user_id and x.spec.name not in own]
        return [*own.values(), *shared]


class McpState:
    """The plugin's state in one app, kept in its context's ``state``."""

    def __init__(self, settings: McpSettings):
        self.settings = settings
        self.manager: McpManager | None = None
        self.server: object | None = None  # the MCP server at /mcp, once started
        self.starting = asyncio.Lock()  # the first /mcp request starts it


def state_of(context: PluginContext) -> McpState:
    """The plugin's state in this app (made on first use)."""
    state = context.state.get("mcp")
    if state is None:
        state = context.state["mcp"] = McpState(context.plugin_settings(McpSettings))
    return state


def manager_of(context: PluginContext) -> McpManager | None:
    return state_of(context).manager
