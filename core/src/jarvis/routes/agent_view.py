"""What the agents and the scheduled tasks routes share: the agents of one kind, the one named by
the request's ``{id}``, and the scheduler told of every change. The route modules declare only
their paths and shapes."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..keys import DATABASE, REGISTRY, RUNTIME, SCHEDULER
from ..models.agents import AgentKind
from ..services import agents as service
from ..services.agents import AgentCreate, AgentUpdate
from ..web import current_user


def time_zone(request: web.Request) -> str:
    return request.app[SCHEDULER].time_zone


class AgentView:
    """The agents of one kind (``agent``: /api/agents, ``task``: /api/tasks), for the routes."""

    def __init__(self, kind: AgentKind):
        self.kind = kind

    async def list(self, request: web.Request) -> list[dict[str, Any]]:
        return await service.list_agents(request.app[DATABASE], current_user(request),
                                         time_zone(request), self.kind)

    async def create(self, request: web.Request, body: AgentCreate) -> dict[str, Any]:
        app = request.app
        agent = await service.create_agent(app[DATABASE], current_user(request), body,
                                           app[REGISTRY], time_zone(request), self.kind)
        await app[SCHEDULER].reload(agent["id"])
        return agent

    async def get(self, request: web.Request) -> dict[str, Any]:
        row = await service.get_agent(request.app[DATABASE], current_user(request),
                                      request.match_info["id"], self.kind)
        return service.agent_out(row, time_zone(request))

    async def update(self, request: web.Request, body: AgentUpdate) -> None:
        await service.update_agent(request.app[DATABASE], current_user(request),
                                   request.match_info["id"], body, request.app[REGISTRY],
                                   self.kind)
        await self._reload(request)

    async def toggle(self, request: web.Request) -> bool:
        enabled = await service.toggle_agent(request.app[DATABASE], current_user(request),
                                             request.match_info["id"], self.kind)
        await self._reload(request)
        return enabled

    async def delete(self, request: web.Request) -> None:
        await service.delete_agent(request.app[DATABASE], current_user(request),
                                   request.match_info["id"], self.kind)
        await self._reload(request)

    async def run(self, request: web.Request, message: str | None = None) -> str:
        """Start a run of the agent (through the run queue); its id."""
        run = await service.run_request(request.app[DATABASE], current_user(request),
                                        request.match_info["id"], message, self.kind)
        return await request.app[RUNTIME].start(run)

    async def stop(self, request: web.Request) -> None:
        """Ask the agent's queued and running runs to stop, here or in the process running it."""
        agent_id = request.match_info["id"]
        await service.get_agent(request.app[DATABASE], current_user(request), agent_id,
                                self.kind)
        for run_id in await service.unfinished_runs(request.app[DATABASE], agent_id):
            await request.app[RUNTIME].request_stop(run_id)

    async def _reload(self, request: web.Request) -> None:
        await request.app[SCHEDULER].reload(request.match_info["id"])
