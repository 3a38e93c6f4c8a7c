"""``ToolContext.at_run_end``: what a tool keeps open across one run's calls is closed when the
run ends, however it ends; a failing closer does not keep the others from running."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from jarvis import ToolContext
from jarvis.testing.plugins import ModelPlugin, agent_run
from jarvis.testing.polling import eventually
from jarvis.testing.scripted import reply, tool_use
from jarvis.testing.tools import AnsweringTool

from tests.support.tools import TextArgs, answering_tool


@pytest.fixture
def closed() -> list[str]:
    """The runs whose kept "connection" was closed."""
    return []


@pytest.fixture
def keeper(closed) -> AnsweringTool:
    """Opens a "connection" on a run's first call and keeps it in ``ctx.state``."""

    async def keep(args: TextArgs, ctx: ToolContext) -> str:
        if "kept" not in ctx.state:
            ctx.state["kept"] = ctx.run.id

            async def broken() -> None:
                raise RuntimeError("the closer broke")

            async def close() -> None:
                closed.append(ctx.run.id)

            ctx.at_run_end(close)
            ctx.at_run_end(broken)  # newest first: it runs, fails, and close still runs
        return f"kept for {ctx.state['kept']}"

    return answering_tool("keeper", "misc", "Keep something open.", keep)


@pytest.fixture
def jarvis_plugins(model, keeper) -> list[Any]:
    return [ModelPlugin(model, tools=[keeper])]


async def test_what_a_run_kept_open_is_closed_once_when_it_ends(user_client, runtime, model,
                                                                closed, caplog):
    model.script(tool_use("keeper", {"text": "a"}), tool_use("keeper", {"text": "b"}),
                 reply("Done."))
    outcome = await runtime.run(agent_run(user_client.user))
    assert outcome.status == "done"
    await eventually(lambda: closed)
    assert closed == [outcome.run_id]
    assert "a tool's run-end closer failed" in caplog.text


async def test_a_stopped_run_closes_it_too(user_client, runtime, model, keeper, closed):
    keeper.hold()
    model.script(tool_use("keeper", {"text": "wait"}), reply("Never."))
    run_id = await runtime.start(agent_run(user_client.user))
    await asyncio.wait_for(keeper.entered.wait(), 10)
    assert closed == []
    assert runtime.stop(run_id)
    keeper.release()
    assert (await runtime.wait(run_id)).status == "stopped"
    await eventually(lambda: closed == [run_id])
