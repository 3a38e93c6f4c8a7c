"""What a sub-run may do: never more than the calling run, never more than the agent asked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jarvis import AgentConfig, Tool


def _grants(allowed: Iterable[str], tool: Tool) -> bool:
    names = set(allowed)
    return tool.name in names or tool.group in names


def shared_tools(caller: list[str] | None, callee: list[str] | None,
                 tools: Mapping[str, Tool]) -> list[str] | None:
    """The allowed_tools of a sub-run: the tools both lists allow (None allows every tool a
    headless run is offered). Entries both name (a group, a tool source's names) stay as they
    are; otherwise each tool one list names by group and the other by name is kept by name."""
    if caller is None:
        return None if callee is None else list(callee)
    if callee is None:
        return list(caller)
    both = [name for name in caller if name in set(callee)]
    for tool in tools.values():
        if tool.name not in both and tool.group not in both and _grants(caller, tool) \
                and _grants(callee, tool):
            both.append(tool.name)
    return both


def sub_config(agent: AgentConfig, caller_tools: list[str] | None, tools: Mapping[str, Tool],
               calls_left: int) -> AgentConfig:
    """The agent's config narrowed for a sub-run: shared tools, at most the calls left."""
    limit = calls_left if agent.max_tool_calls is None else min(agent.max_tool_calls, calls_left)
    return AgentConfig(prompt=agent.prompt, model=agent.model, prompt_mode=agent.prompt_mode,
                       allowed_tools=shared_tools(caller_tools, agent.allowed_tools, tools),
                       max_tool_calls=limit, name=agent.name)
