"""A tool's listed ``failures`` come back as failed results with their message; any other
error still reaches the runtime, which logs it as a bug."""

from __future__ import annotations

import pytest
from jarvis import Tool, ToolResult
from pydantic import BaseModel


class ServerAway(Exception):
    pass


class NoInput(BaseModel):
    pass


class Flaky(Tool):
    name = "flaky"
    group = "test"
    description = "fails as told"
    Input = NoInput
    failures = (ServerAway,)

    def __init__(self, error: Exception | None):
        self.error = error

    async def run(self, args, ctx) -> ToolResult:
        if self.error is not None:
            raise self.error
        return ToolResult(content="done")


class Subclass(Flaky):
    async def run(self, args, ctx) -> ToolResult:
        return await super().run(args, ctx)


@pytest.mark.parametrize("tool", [Flaky, Subclass])
async def test_a_listed_error_is_a_failure_with_its_message(tool):
    result = await tool(ServerAway("the calendar server is away")).run(NoInput(), None)
    assert not result.ok and result.error == "the calendar server is away"
    assert (await tool(None).run(NoInput(), None)).content == "done"


async def test_another_error_is_raised():
    with pytest.raises(ValueError, match="a bug"):
        await Flaky(ValueError("a bug")).run(NoInput(), None)
