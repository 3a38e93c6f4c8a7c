"""Small test tools shared by the runtime and agents tests."""

from __future__ import annotations

from typing import Any

from jarvis import Tool, ToolContext, ToolResult
from pydantic import BaseModel


class TextArgs(BaseModel):
    text: str


def answering_tool(name: str, group: str, description: str, answer: str, **flags: Any) -> Tool:
    """A tool that answers ``answer`` at once; ``flags`` set Tool class attributes
    (``admin_only``, ``allowed_in_scheduled_runs``, ...)."""

    async def run(self: Tool, args: TextArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=answer)

    attrs = {"name": name, "group": group, "description": description, "Input": TextArgs,
             "run": run, **flags}
    return type(name.title().replace("_", ""), (Tool,), attrs)()


class Lookup(Tool):
    """No confirmation, no policy: answers at once."""

    name = "lookup"
    group = "info"
    description = "Look something up."
    Input = TextArgs

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(content=f"found: {args.text}")


class SendNote(Tool):
    """Always asks the user first (headless runs need a grant); acts on the world."""

    name = "send_note"
    group = "notes"
    description = "Send a note to someone."
    Input = TextArgs
    side_effect = True

    def __init__(self) -> None:
        self.sent: list[str] = []

    def requires_confirmation(self, args: TextArgs) -> bool:
        return True

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        self.sent.append(args.text)
        return ToolResult(content=f"sent: {args.text}", summary="note sent")


class Post(Tool):
    """A side effect that needs no confirmation unless the run is tainted."""

    name = "post"
    group = "notes"
    description = "Post a message."
    Input = TextArgs
    side_effect = True

    def __init__(self) -> None:
        self.posted: list[str] = []

    async def run(self, args: TextArgs, ctx: ToolContext) -> ToolResult:
        self.posted.append(args.text)
        return ToolResult(content="posted")
