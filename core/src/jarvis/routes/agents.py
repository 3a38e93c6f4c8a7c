"""Agents: a user's own (admins see every one); others' agents answer 404."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..keys import DATABASE
from ..services import agents as service
from ..services.agents import AgentCreate, AgentOut, AgentUpdate
from ..services.schedules import preview
from ..web import Access, Ok, Routes, current_user
from .agent_view import AgentView, time_zone
from .runs import RunOut, run_out

routes = Routes("agents")
AGENTS = AgentView("agent")


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


AGENTS.add_routes(routes, "/api/agents", out=AgentOut, create=AgentCreate, update=AgentUpdate,
                  one="an agent", many="Agents")


@routes.get("/api/agents/{id}", access=Access.OWNER, response=AgentDetail,
            summary="An agent with its latest runs and the tokens its runs used")
async def get_agent(request: web.Request) -> AgentDetail:
    detail = await service.agent_detail(request.app[DATABASE], current_user(request),
                                        request.match_info["id"], time_zone(request))
    return AgentDetail.model_validate({**detail, "runs": [run_out(r) for r in detail["runs"]]})


@routes.post("/api/agents/{id}/run", access=Access.OWNER, body=RunNow, response=RunStarted,
             summary="Run an agent now (through the run queue)")
async def run_agent(request: web.Request, body: RunNow) -> RunStarted:
    return RunStarted(run_id=await AGENTS.run(request, body.message))


@routes.post("/api/agents/{id}/stop", access=Access.OWNER, response=Ok,
             summary="Stop the agent's queued and running runs")
async def stop_agent(request: web.Request) -> Ok:
    await AGENTS.stop(request)
    return Ok()


@routes.get("/api/schedule-preview", access=Access.USER, query=PreviewQuery,
            response=SchedulePreview,
            summary="The next fire times of a cron schedule, in the server's time zone")
async def schedule_preview(request: web.Request, query: PreviewQuery) -> SchedulePreview:
    expr, times = preview(query.schedule, time_zone(request), query.count)
    return SchedulePreview(schedule=expr, time_zone=time_zone(request), next=times)
