"""Which tools a run may use, and which it was granted explicitly (by name or group)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..providers.base import Message, ToolSpec, ToolUseBlock
from ..tools import RunRef, Tool, UserRef


def grants(allowed_tools: Iterable[str] | None, tool: Tool) -> bool:
    """True when ``allowed_tools`` names the tool or its group (an explicit grant)."""
    if allowed_tools is None:
        return False
    names = set(allowed_tools)
    return tool.name in names or tool.group in names


def read_untrusted(messages: Iterable[Message], tools: Mapping[str, Tool]) -> bool:
    """True when ``messages`` hold a call of a tool that returns outside content (or of a tool
    no longer known): what it returned is still in the model's context, so the run is tainted."""
    for message in messages:
        for block in message.content:
            if isinstance(block, ToolUseBlock):
                tool = tools.get(block.name)
                if tool is None or tool.reads_untrusted:
                    return True
    return False


class Toolset:
    """The tools of one run: what the model is offered and why a call may be refused."""

    def __init__(self, tools: Mapping[str, Tool], run: RunRef, user: UserRef):
        self.all = tools
        self.run = run
        self.user = user
        self.offered = {name: t for name, t in tools.items() if self.refusal(t) is None}
        self._specs: list[ToolSpec] | None = None

    def refusal(self, tool: Tool) -> str | None:
        """Why this run may not call ``tool`` at all, or None."""
        if tool.admin_only and not self.user.is_admin:
            return f"the tool {tool.name} is for admins only"
        if self.run.headless and not tool.allowed_in_scheduled_runs:
            return f"the tool {tool.name} cannot be used in {self.run.kind} runs"
        allowed = self.run.allowed_tools
        if allowed is not None and not grants(allowed, tool):
            return f"the tool {tool.name} is not in this run's allowed tools"
        return None

    def lookup(self, name: str) -> tuple[Tool | None, str | None]:
        """The tool for a call and None, or None and the reason it cannot be called."""
        tool = self.all.get(name)
        if tool is None:
            return None, f"there is no tool named {name!r}"
        return (tool, None) if name in self.offered else (None, self.refusal(tool))

    def granted(self, tool: Tool) -> bool:
        """An explicit grant: what a headless run needs for a call that would ask in chat."""
        return grants(self.run.allowed_tools, tool)

    def specs(self) -> list[ToolSpec]:
        """The tools as the model sees them."""
        if self._specs is None:
            self._specs = [
                ToolSpec(t.name, t.description, t.input_schema()) for t in self.offered.values()
            ]
        return self._specs
