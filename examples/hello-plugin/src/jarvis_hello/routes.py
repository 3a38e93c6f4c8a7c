"""``GET /api/hello`` for anyone, ``GET /api/hello/me`` for a logged-in user."""

from __future__ import annotations

from aiohttp import web
from jarvis import Access, Routes, current_user, plugin_context
from pydantic import BaseModel, Field

from .settings import HelloSettings

routes = Routes("hello")


class Greeting(BaseModel):
    greeting: str


class GreetQuery(BaseModel):
    name: str = Field("world", min_length=1, max_length=100)


def _greeting(request: web.Request) -> str:
    return plugin_context(request).plugin_settings(HelloSettings).greeting


@routes.get(
    "/api/hello",
    access=Access.ANON,
    query=GreetQuery,
    response=Greeting,
    summary="A greeting from the example plugin",
)
async def hello(request: web.Request, query: GreetQuery) -> Greeting:
    return Greeting(greeting=f"{_greeting(request)}, {query.name}!")


@routes.get(
    "/api/hello/me",
    access=Access.USER,
    response=Greeting,
    summary="A greeting for the logged-in user",
)
async def hello_me(request: web.Request) -> Greeting:
    return Greeting(greeting=f"{_greeting(request)}, {current_user(request).username}!")
