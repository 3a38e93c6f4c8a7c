"""Scheduled tasks: a user's own (admins see every one); others' tasks answer 404."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from ..keys import DATABASE, REGISTRY, RUNTIME, SCHEDULER
from ..services import tasks as service
from ..services.tasks import TaskCreate, TaskOut, TaskUpdate
from ..web import Access, Ok, Routes, current_user

routes = Routes("tasks")


class TaskRunStarted(BaseModel):
    ok: bool = True
    run_id: str


class Toggled(BaseModel):
    enabled: bool


def _zone(request: web.Request) -> str:
    return request.app[SCHEDULER].time_zone


@routes.get("/api/tasks", access=Access.USER, response=list[TaskOut],
            summary="Scheduled tasks (users: their own; admins: all)")
async def list_tasks(request: web.Request) -> list[TaskOut]:
    found = await service.list_tasks(request.app[DATABASE], current_user(request), _zone(request))
    return [TaskOut.model_validate(t) for t in found]


@routes.post("/api/tasks", access=Access.USER, body=TaskCreate, response=TaskOut, status=201,
             summary="Create a scheduled task")
async def create_task(request: web.Request, body: TaskCreate) -> TaskOut:
    app = request.app
    task = await service.create_task(app[DATABASE], current_user(request), body, app[REGISTRY],
                                     _zone(request))
    await app[SCHEDULER].reload("task", task["id"])
    return TaskOut.model_validate(task)


@routes.get("/api/tasks/{id}", access=Access.OWNER, response=TaskOut, summary="A scheduled task")
async def get_task(request: web.Request) -> TaskOut:
    row = await service.get_task(request.app[DATABASE], current_user(request),
                                 request.match_info["id"])
    return TaskOut.model_validate(service.task_out(row, _zone(request)))


@routes.put("/api/tasks/{id}", access=Access.OWNER, body=TaskUpdate, response=Ok,
            summary="Change some fields of a scheduled task")
async def update_task(request: web.Request, body: TaskUpdate) -> Ok:
    app, task_id = request.app, request.match_info["id"]
    await service.update_task(app[DATABASE], current_user(request), task_id, body, app[REGISTRY])
    await app[SCHEDULER].reload("task", task_id)
    return Ok()


@routes.delete("/api/tasks/{id}", access=Access.OWNER, response=Ok,
               summary="Delete a scheduled task")
async def delete_task(request: web.Request) -> Ok:
    app, task_id = request.app, request.match_info["id"]
    await service.delete_task(app[DATABASE], current_user(request), task_id)
    await app[SCHEDULER].reload("task", task_id)
    return Ok()


@routes.post("/api/tasks/{id}/toggle", access=Access.OWNER, response=Toggled,
             summary="Enable or disable a scheduled task")
async def toggle_task(request: web.Request) -> Toggled:
    app, task_id = request.app, request.match_info["id"]
    enabled = await service.toggle_task(app[DATABASE], current_user(request), task_id)
    await app[SCHEDULER].reload("task", task_id)
    return Toggled(enabled=enabled)


@routes.post("/api/tasks/{id}/run", access=Access.OWNER, response=TaskRunStarted,
             summary="Run a scheduled task now (through the run queue); answers the run's id")
async def run_task(request: web.Request) -> TaskRunStarted:
    app = request.app
    run = await service.run_request(app[DATABASE], current_user(request), request.match_info["id"])
    return TaskRunStarted(run_id=await app[RUNTIME].start(run))
