"""jarvis-hello: an example third-party plugin, written from Jarvis's public API only."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from jarvis import SETTINGS, Access, Routes, Settings, Tool, ToolContext, ToolResult, hookimpl


class HelloSettings(BaseModel):
    """The ``[plugins.hello]`` section of jarvis.toml."""

    greeting: str = Field("Hello", min_length=1, max_length=40)


class GreetInput(BaseModel):
    name: str = Field(description="who to greet", min_length=1, max_length=100)


class Greet(Tool):
    name = "hello_greet"
    group = "hello"
    description = "Greet someone by name."
    Input = GreetInput

    def __init__(self, settings: HelloSettings):
        self.settings = settings

    async def run(self, args: GreetInput, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"{self.settings.greeting}, {args.name}!")


class Greeting(BaseModel):
    greeting: str


routes = Routes("hello")


class GreetQuery(BaseModel):
    name: str = Field("world", min_length=1, max_length=100)


@routes.get("/api/hello", access=Access.ANON, query=GreetQuery, response=Greeting,
            summary="A greeting from the example plugin")
async def hello(request: web.Request, query: GreetQuery) -> Greeting:
    settings = request.app[SETTINGS].plugin("hello", HelloSettings)
    return Greeting(greeting=f"{settings.greeting}, {query.name}!")


@hookimpl
def register_tools(settings: Settings) -> list[Tool]:
    return [Greet(settings.plugin("hello", HelloSettings))]


@hookimpl
def register_routes(settings: Settings) -> Routes:
    return routes
