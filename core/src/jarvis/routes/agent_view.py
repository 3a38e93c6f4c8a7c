"""What the agents and the scheduled tasks routes share: the agents of one kind, the one named by
the request's ``{id}``, the scheduler told of every change, and the routes both views have
(list, create, change, delete) declared once with each view's shapes."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic_core import to_json

from ..keys import DATABASE, REGISTRY, RUNTIME, SCHEDULER
from ..models.agents import AgentKind
from ..services import agents as service
from ..services.agents import AgentCreate, AgentUpdate
from ..web import Access, Routes, current_user
from .system import Ok


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

    def add_routes(self, routes: Routes, path: str, *, out: type[BaseModel],
                   create: type[BaseModel], update: type[BaseModel], one: str,
                   many: str) -> None:
        """Declare list, create, change and delete under ``path`` in this view's shapes
        (``out``, the ``create`` and ``update`` bodies: the agent's fields or some of them);
        ``one`` and ``many`` name the objects in the summaries."""

        shown = tuple(out.model_fields)  # the view's fields, in its order

        # ``out`` is a class known when the view is declared: mypy sees only a variable
        @routes.get(path, access=Access.USER, response=list[out],  # type: ignore[valid-type]
                    summary=f"{many} (users: their own; admins: all)")
        async def list_all(request: web.Request) -> web.Response:
            # the service's rows are already in the view's types: serialised as they are,
            # not validated again (the contract tests hold them to the declared shape)
            rows = await self.list(request)
            if rows and tuple(rows[0]) != shown:
                rows = [{name: row[name] for name in shown} for row in rows]
            return web.Response(body=to_json(rows), content_type="application/json")

        @routes.post(path, access=Access.USER, body=create, response=out, status=201,
                     summary=f"Create {one}")
        async def create_one(request: web.Request, body: BaseModel) -> BaseModel:
            agent = await self.create(request, AgentCreate.model_validate(body.model_dump()))
            return out.model_validate(agent)

        @routes.put(f"{path}/{{id}}", access=Access.OWNER, body=update, response=Ok,
                    summary=f"Change some fields of {one}")
        async def update_one(request: web.Request, body: BaseModel) -> Ok:
            given = body.model_dump(exclude_unset=True)
            await self.update(request, AgentUpdate.model_validate(given))
            return Ok()

        @routes.delete(f"{path}/{{id}}", access=Access.OWNER, response=Ok,
                       summary=f"Delete {one}")
        async def delete_one(request: web.Request) -> Ok:
            await self.delete(request)
            return Ok()

    async def _reload(self, request: web.Request) -> None:
        await request.app[SCHEDULER].reload(request.match_info["id"])
