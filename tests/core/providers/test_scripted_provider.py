"""The in-process scripted provider that runtime tests drive."""

from __future__ import annotations

import asyncio

import jarvis
import pytest
from jarvis.testing.scripted import (
    ScriptedProvider,
    StaticSecrets,
    call,
    error,
    fake_model,
    hang,
    malformed,
    reply,
    tool_use,
)

from tests.support.vendors import collect

CTX = jarvis.ProviderContext(StaticSecrets())


def ask(text: str, **fields) -> jarvis.ModelRequest:
    message = jarvis.Message("user", [jarvis.TextBlock(text)])
    return jarvis.ModelRequest(model="echo", system="sys", messages=[message], **fields)


def text_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, jarvis.TextDelta))


async def test_plays_the_script_in_order_then_echoes():
    model = ScriptedProvider(reply("First answer here.", usage=(12, 3)))
    model.script(tool_use("lookup", {"q": "tea"}, text="Looking.", id="toolu_1"))
    first = await collect(model, ask("one"), CTX)
    assert text_of(first) == "First answer here."
    assert len([e for e in first if isinstance(e, jarvis.TextDelta)]) > 1
    assert first[-2:] == [jarvis.Usage(12, 3), jarvis.Stop("end_turn")]
    second = await collect(model, ask("two"), CTX)
    assert text_of(second) == "Looking."
    assert [e for e in second if isinstance(e, jarvis.ToolCall)] == [
        jarvis.ToolCall("toolu_1", "lookup", {"q": "tea"})]
    assert second[-1] == jarvis.Stop("tool_use")
    assert model.pending == 0
    third = await collect(model, ask("are you there?"), CTX)
    assert text_of(third) == "Echo: are you there?"


async def test_echo_repeats_a_tool_result():
    model = ScriptedProvider()
    result = jarvis.ToolResultBlock("t1", "42 degrees")
    request = jarvis.ModelRequest("echo", "", [jarvis.Message("user", [result])])
    assert text_of(await collect(model, request, CTX)) == "Echo: 42 degrees"


async def test_several_calls_in_one_turn_get_distinct_ids():
    model = ScriptedProvider(reply("", call("a", {"x": 1}), call("b")))
    calls = [e for e in await collect(model, ask("go"), CTX) if isinstance(e, jarvis.ToolCall)]
    assert [(c.name, c.arguments) for c in calls] == [("a", {"x": 1}), ("b", {})]
    assert calls[0].id != calls[1].id


async def test_requests_are_recorded_as_sent():
    model = ScriptedProvider()
    request = ask("hello")
    await collect(model, request, CTX)
    request.messages.append(jarvis.Message("assistant", [jarvis.TextBlock("later")]))
    assert len(model.requests) == 1
    assert [m.role for m in model.requests[0].messages] == ["user"]


async def test_unknown_model_is_refused():
    model = ScriptedProvider(models=("small",))
    with pytest.raises(jarvis.ProviderError, match="fake has no model 'echo' \\(it has: small\\)"):
        await collect(model, ask("hi"), CTX)


@pytest.mark.parametrize(("turn", "status", "message"), [
    (error(401), 401, "fake rejected the API key"),
    (error(429, retry_after=3), 429, "rate limited by fake (retry after 3 s)"),
    (error(529), 529, "fake is unavailable (HTTP 529)"),
    (error(400, "too long"), 400, "fake refused the request (HTTP 400): too long"),
    (malformed(), None, "fake sent a malformed answer"),
])
async def test_scripted_failures_raise_provider_errors(turn, status, message):
    model = ScriptedProvider(turn)
    with pytest.raises(jarvis.ProviderError) as failure:
        await collect(model, ask("hi"), CTX)
    assert (str(failure.value), failure.value.status) == (message, status)


async def test_error_after_text_streams_the_text_first():
    model = ScriptedProvider(error(529, after_text="Half an"))
    seen = []
    with pytest.raises(jarvis.ProviderError):
        async for event in model.stream(ask("hi"), CTX):
            seen.append(event)
    assert text_of(seen) == "Half an"


async def test_hang_until_released_then_answers():
    release = asyncio.Event()
    model = ScriptedProvider(hang(until=release, after_text="Thinking... ", then=reply("done")))
    task = asyncio.create_task(collect(model, ask("hi"), CTX))
    await model.wait_for(1)
    await asyncio.sleep(0.01)
    assert not task.done()
    release.set()
    assert text_of(await task) == "Thinking... done"


async def test_hang_longer_than_the_timeout_fails():
    model = ScriptedProvider(hang())
    with pytest.raises(jarvis.ProviderError, match="fake did not answer within 0.05 s"):
        await collect(model, ask("hi", timeout=0.05), CTX)


async def test_listing_and_listing_failure():
    model = ScriptedProvider(id="local", models=("big", fake_model("blind", "local", vision=False)))
    models = await model.list_models(CTX)
    assert [(m.id, m.provider, m.capabilities.vision) for m in models] == [
        ("local:big", "local", True), ("local:blind", "local", False)]
    model.list_error = "HTTP 500 from the vendor"
    assert await model.list_models(CTX) == []
    assert model.last_error == "HTTP 500 from the vendor"
