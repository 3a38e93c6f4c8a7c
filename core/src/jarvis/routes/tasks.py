"""Scheduled tasks: the agents of kind ``task``, in the shapes of the reference's /api/tasks.
A user's own (admins see every one); others' tasks answer 404."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from ..services.agents import AgentCreate, AgentUpdate
from ..web import Access, Routes
from .agent_view import AgentView
from .system import Ok

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

    name: str = Field(None, min_length=1, max_length=200)
    schedule: str = Field(None, min_length=1, max_length=200, examples=["30 7 * * 1"])
    prompt: str = Field(None, min_length=1, max_length=100_000)
    allowed_tools: list[str] | None = None
    enabled: bool = None


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


@routes.get("/api/tasks", access=Access.USER, response=list[TaskOut],
            summary="Scheduled tasks (users: their own; admins: all)")
async def list_tasks(request: web.Request) -> list[TaskOut]:
    return [TaskOut.model_validate(t) for t in await TASKS.list(request)]


@routes.post("/api/tasks", access=Access.USER, body=TaskCreate, response=TaskOut, status=201,
             summary="Create a scheduled task")
async def create_task(request: web.Request, body: TaskCreate) -> TaskOut:
    agent = AgentCreate.model_validate(body.model_dump())
    return TaskOut.model_validate(await TASKS.create(request, agent))


@routes.get("/api/tasks/{id}", access=Access.OWNER, response=TaskOut, summary="A scheduled task")
async def get_task(request: web.Request) -> TaskOut:
    return TaskOut.model_validate(await TASKS.get(request))


@routes.put("/api/tasks/{id}", access=Access.OWNER, body=TaskUpdate, response=Ok,
            summary="Change some fields of a scheduled task")
async def update_task(request: web.Request, body: TaskUpdate) -> Ok:
    await TASKS.update(request, AgentUpdate.model_validate(body.model_dump(exclude_unset=True)))
    return Ok()


@routes.delete("/api/tasks/{id}", access=Access.OWNER, response=Ok,
               summary="Delete a scheduled task")
async def delete_task(request: web.Request) -> Ok:
    await TASKS.delete(request)
    return Ok()


@routes.post("/api/tasks/{id}/toggle", access=Access.OWNER, response=Toggled,
             summary="Enable or disable a scheduled task")
async def toggle_task(request: web.Request) -> Toggled:
    return Toggled(enabled=await TASKS.toggle(request))


@routes.post("/api/tasks/{id}/run", access=Access.OWNER, response=TaskRunStarted,
             summary="Run a scheduled task now (through the run queue); answers the run's id")
async def run_task(request: web.Request) -> TaskRunStarted:
    return TaskRunStarted(run_id=await TASKS.run(request))
