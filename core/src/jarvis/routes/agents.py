"""Agents: a user's own (admins see every one); others' agents answer 404."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..keys import DATABASE, REGISTRY, RUNTIME, SCHEDULER
from ..services import agents as service
from ..services.agents import AgentCreate, AgentOut, AgentUpdate
from ..services.schedules import preview
from ..web import Access, Ok, Routes, current_user
from .runs import RunOut, run_out

routes = Routes("agents")


class RunNow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str | None = Field(None, max_length=100_000, description="replaces the default "
                                "first message of the run")


class RunStarted(BaseModel):
    run_id: str


class AgentDetail(BaseModel):
    agent: AgentOut
    runs: list[RunOut]
    total_input_tokens: int
    total_output_tokens: int


class PreviewQuery(BaseModel):
    schedule: str = Field(min_length=1, max_length=200, description="five-field cron",
                          examples=["0 8 * * 1-5"])
    count: int = Field(5, ge=1, le=50, description="how many fire times")


class SchedulePreview(BaseModel):
    schedule: str = Field(description="the schedule as it would be stored")
    time_zone: str
    next: list[str] = Field(description="the next fire times (ISO 8601, UTC), soonest first")


def _zone(request: web.Request) -> str:
    return request.app[SCHEDULER].time_zone


@routes.get("/api/agents", access=Access.USER, response=list[AgentOut],
            summary="Agents (users: their own; admins: all)")
async def list_agents(request: web.Request) -> list[AgentOut]:
    found = await service.list_agents(request.app[DATABASE], current_user(request), _zone(request))
    return [AgentOut.model_validate(a) for a in found]


@routes.post("/api/agents", access=Access.USER, body=AgentCreate, response=AgentOut, status=201,
             summary="Create an agent")
async def create_agent(request: web.Request, body: AgentCreate) -> AgentOut:
    app = request.app
    agent = await service.create_agent(app[DATABASE], current_user(request), body, app[REGISTRY],
                                       _zone(request))
    await app[SCHEDULER].reload("agent", agent["id"])
    return AgentOut.model_validate(agent)


@routes.get("/api/agents/{id}", access=Access.OWNER, response=AgentDetail,
            summary="An agent with its latest runs and the tokens its runs used")
async def get_agent(request: web.Request) -> AgentDetail:
    detail = await service.agent_detail(request.app[DATABASE], current_user(request),
                                        request.match_info["id"], _zone(request))
    return AgentDetail.model_validate({**detail, "runs": [run_out(r) for r in detail["runs"]]})


@routes.put("/api/agents/{id}", access=Access.OWNER, body=AgentUpdate, response=Ok,
            summary="Change some fields of an agent")
async def update_agent(request: web.Request, body: AgentUpdate) -> Ok:
    app, agent_id = request.app, request.match_info["id"]
    await service.update_agent(app[DATABASE], current_user(request), agent_id, body,
                               app[REGISTRY])
    await app[SCHEDULER].reload("agent", agent_id)
    return Ok()


@routes.delete("/api/agents/{id}", access=Access.OWNER, response=Ok, summary="Delete an agent")
async def delete_agent(request: web.Request) -> Ok:
    app, agent_id = request.app, request.match_info["id"]
    await service.delete_agent(app[DATABASE], current_user(request), agent_id)
    await app[SCHEDULER].reload("agent", agent_id)
    return Ok()


@routes.post("/api/agents/{id}/run", access=Access.OWNER, body=RunNow, response=RunStarted,
             summary="Run an agent now (through the run queue)")
async def run_agent(request: web.Request, body: RunNow) -> RunStarted:
    app = request.app
    run = await service.run_request(app[DATABASE], current_user(request),
                                    request.match_info["id"], body.message)
    return RunStarted(run_id=await app[RUNTIME].start(run))


@routes.post("/api/agents/{id}/stop", access=Access.OWNER, response=Ok,
             summary="Stop the agent's queued and running runs")
async def stop_agent(request: web.Request) -> Ok:
    app, agent_id = request.app, request.match_info["id"]
    await service.get_agent(app[DATABASE], current_user(request), agent_id)
    for run_id in await service.unfinished_runs(app[DATABASE], agent_id=agent_id):
        await app[RUNTIME].request_stop(run_id)  # here, or in the process that runs it
    return Ok()


@routes.get("/api/schedule-preview", access=Access.USER, query=PreviewQuery,
            response=SchedulePreview,
            summary="The next fire times of a cron schedule, in the server's time zone")
async def schedule_preview(request: web.Request, query: PreviewQuery) -> SchedulePreview:
    expr, times = preview(query.schedule, _zone(request), query.count)
    return SchedulePreview(schedule=expr, time_zone=_zone(request), next=times)
