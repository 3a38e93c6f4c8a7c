"""Scheduler settings [admin]: how late a missed fire may still run (``grace_seconds``)."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from ..keys import CONFIG
from ..runtime.scheduler import SchedulerSettings
from ..web import Access, Routes
from .settings import change, partial_model
from .system import Ok

routes = Routes("settings")

SchedulerUpdate = partial_model(SchedulerSettings, "SchedulerUpdate")


@routes.get("/api/settings/scheduler", access=Access.ADMIN, response=SchedulerSettings,
            summary="How late a missed scheduled fire may still run")
async def get_scheduler(request: web.Request) -> BaseModel:
    return request.app[CONFIG].get("scheduler")


@routes.post("/api/settings/scheduler", access=Access.ADMIN, body=SchedulerUpdate, response=Ok,
             summary="Change the grace period of missed scheduled fires")
async def set_scheduler(request: web.Request, body: BaseModel) -> Ok:
    return await change(request, "scheduler", body)
