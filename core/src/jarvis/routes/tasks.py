"""Scheduled tasks: the agents of kind ``task``, in the shapes of the reference's /api/tasks.
A user's own (admins see every one); others' tasks answer 404."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..web import Access, Routes
from .agent_view import AgentView

routes = Routes("tasks")
TASKS = AgentView("task")


class TaskCreate(BaseModel):
    """The body of ``POST /api/tasks``: an agent with a schedule, the default model and the
    combined prompt."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    schedule: str = Field(min_length=1, max_length=200, description="five-field cron",
                          examples=["0 8 * * 1-5"])
    prompt: str = Field(min_length=1, max_length=100_000)
    allowed_tools: list[str] | None = Field(
        None, description="tool names or groups; null: every tool allowed in headless runs")
    enabled: bool = True


class TaskUpdate(BaseModel):
    """The body of ``PUT /api/tasks/{id}``: only the fields given change."""

    model_config = ConfigDict(extra="forbid")
    # A field typed without None refuses an explicit null; left out, it keeps its value.

    name: str = Field(None, min_length=1, max_length=200)  # type: ignore[assignment]
    schedule: str = Field(None, min_length=1, max_length=200,  # type: ignore[assignment]
                          examples=["30 7 * * 1"])
    prompt: str = Field(None, min_length=1, max_length=100_000)  # type: ignore[assignment]
    allowed_tools: list[str] | None = None
    enabled: bool = None  # type: ignore[assignment]


class TaskOut(BaseModel):
    id: str
    user_id: str
    name: str
    schedule: str
    prompt: str
    allowed_tools: list[str] | None
    enabled: bool
    created_at: str
    updated_at: str
    next_run_at: str | None


class TaskRunStarted(BaseModel):
    ok: bool = True
    run_id: str


class Toggled(BaseModel):
    enabled: bool


TASKS.add_routes(routes, "/api/tasks", out=TaskOut, create=TaskCreate, update=TaskUpdate,
                 one="a scheduled task", many="Scheduled tasks")


@routes.get("/api/tasks/{id}", access=Access.OWNER, response=TaskOut, summary="A scheduled task")
async def get_task(request: web.Request) -> TaskOut:
    return TaskOut.model_validate(await TASKS.get(request))


@routes.post("/api/tasks/{id}/toggle", access=Access.OWNER, response=Toggled,
             summary="Enable or disable a scheduled task")
async def toggle_task(request: web.Request) -> Toggled:
    return Toggled(enabled=await TASKS.toggle(request))


@routes.post("/api/tasks/{id}/run", access=Access.OWNER, response=TaskRunStarted,
             summary="Run a scheduled task now (through the run queue); answers the run's id")
async def run_task(request: web.Request) -> TaskRunStarted:
    return TaskRunStarted(run_id=await TASKS.run(request))
