"""The ``hello_greet`` tool."""

from __future__ import annotations

from jarvis import PolicyRequest, Tool, ToolContext, ToolResult
from pydantic import BaseModel, Field

from .settings import HelloSettings


class GreetInput(BaseModel):
    name: str = Field(description="who to greet", min_length=1, max_length=100)


class Greet(Tool):
    name = "hello_greet"
    group = "hello"
    description = "Greet someone by name."
    Input = GreetInput
    settings: HelloSettings

    def policy_requests(self, args: GreetInput) -> list[PolicyRequest]:
        # The runtime asks the hello.name policies before the tool runs.
        return [PolicyRequest("hello.name", args.name, tool_name=self.name)]

    async def run(self, args: GreetInput, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"{self.settings.greeting}, {args.name}!")
