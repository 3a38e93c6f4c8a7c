"""ask_agent: a run asks another of its owner's agents and gets its answer."""

from __future__ import annotations

import asyncio

from jarvis import AgentConfig, JarvisError, RunRequest, Tool, ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from .rights import sub_config
from .settings import SubagentSettings


class AskInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent: str = Field(min_length=1, max_length=200,
                       description="the name (or id) of one of the user's agents")
    prompt: str = Field(min_length=1, max_length=20_000,
                        description="what to ask it; it answers in one run")


class AskAgent(Tool):
    name = "ask_agent"
    group = "subagents"
    description = ("Ask another of the user's agents to do something and get its answer. The "
                   "agent works with its own instructions and no more tools than you have.")
    Input = AskInput
    # the agent asked may act on the world; it answers with what it read (outside content)
    side_effect = True
    reads_untrusted = True
    settings: SubagentSettings

    def describe(self, args: AskInput) -> str:
        return f"ask your agent {args.agent!r}: {args.prompt[:200]}"

    async def run(self, args: AskInput, ctx: ToolContext) -> ToolResult:
        if ctx.run.depth >= self.settings.max_depth:
            return ToolResult.failure(
                f"not asked: agents may call agents only {self.settings.max_depth} level(s) "
                "deep, and this run is at that depth")
        found = await _find(ctx, args.agent)
        if isinstance(found, str):
            return ToolResult.failure(found)
        agent_id, agent = found
        left = ctx.budget.left if ctx.budget is not None else 0
        context = ctx.context
        config = sub_config(agent, ctx.run.allowed_tools, context.registered_tools, left)
        try:
            run_id = await context.start_run(RunRequest(
                kind="agent", user=ctx.user, agent=config, agent_id=agent_id,
                untrusted_input=args.prompt, parent=ctx.run))
        except JarvisError as err:
            return ToolResult.failure(f"not asked: {err}")
        try:
            outcome = await context.wait_run(run_id)
        except asyncio.CancelledError:  # the caller gave up (time limit, stop): so does it
            context.stop_run(run_id)
            raise
        if ctx.budget is not None:
            ctx.budget.spend(outcome.tool_calls)  # the sub-run's calls were the caller's
        name = agent.name or agent_id
        if outcome.status not in ("done", "limited") or (outcome.error and not outcome.text):
            why = outcome.error or f"it ended {outcome.status}"
            return ToolResult.failure(f"{name} did not answer (run {run_id}): {why}")
        return ToolResult(content=outcome.text or "(no answer)",
                          summary=f"{name} answered in run {run_id} "
                                  f"({outcome.tool_calls} tool calls)")


async def _find(ctx: ToolContext, wanted: str) -> tuple[str, AgentConfig] | str:
    """(id, config) of the user's own agent named (or with the id) ``wanted``, or why not."""
    mine = [a for a in await ctx.context.list_agents(ctx.user) if a["user_id"] == ctx.user.id]
    match = [a for a in mine if a["id"] == wanted] or [
        a for a in mine if a["name"].casefold() == wanted.strip().casefold()]
    if len(match) != 1:
        names = ", ".join(repr(a["name"]) for a in mine) or "none"
        what = "several agents are" if match else "no agent of yours is"
        return f"not asked: {what} named {wanted!r} (your agents: {names})"
    agent = await ctx.context.load_agent(match[0]["id"], ctx.user.id)
    if agent is None:
        return f"not asked: no agent of yours is named {wanted!r}"
    return match[0]["id"], agent
