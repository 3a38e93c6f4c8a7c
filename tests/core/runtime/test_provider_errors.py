"""A real provider (the Anthropic SDK against a fake vendor on loopback): answers and failures."""

from __future__ import annotations

import asyncio

import jarvis_anthropic
import pytest
from jarvis.keys import RUN_QUEUE, RUNTIME, VAULT
from jarvis.testing.chat import open_chat
from jarvis.testing.fake_anthropic import FakeAnthropic
from jarvis.testing.scripted import error, hang, malformed, reply, tool_use

MODEL = "anthropic:claude-sonnet-4-6"


@pytest.fixture
async def vendor():
    async with FakeAnthropic(api_key="sk-test") as fake:
        yield fake


@pytest.fixture
def jarvis_plugins(jarvis_plugins):
    """The runtime tests' tools and policies, and the Anthropic plugin (a plugin like any)."""
    return [*jarvis_plugins, jarvis_anthropic]


@pytest.fixture
def jarvis_settings(vendor):
    return {"plugins": {"anthropic": {"base_url": vendor.url}}}


@pytest.fixture
async def chat(user_client, admin_client):
    await user_client.app[VAULT].put("system:anthropic_api_key", "sk-test")
    return await open_chat(user_client)


async def test_answer_through_the_sdk(chat, vendor):
    vendor.script(tool_use("lookup", {"text": "tea"}), reply("Tea is ready."))
    frames = await chat.say("tea?", model=MODEL)
    done = frames[-1]
    assert done["status"] == "done"
    assert done["text"] == "Tea is ready."
    assert done["usage"]["input_tokens"] > 0
    second = vendor.received("/v1/messages")[1].json
    assert second["model"] == "claude-sonnet-4-6"
    result = second["messages"][-1]["content"][0]
    assert result["type"] == "tool_result"
    assert "found: tea" in result["content"]


async def test_models_come_from_the_vendor(user_client, chat):
    body = await (await user_client.get("/api/models")).json()
    assert "anthropic:claude-opus-4-6" in body["models"]
    assert "fake:echo" in body["models"]
    assert body["default"] == MODEL


@pytest.mark.parametrize(("turn", "message"), [
    (error(401), "rejected the API key"),
    (error(429, retry_after=7), "rate limited by Anthropic (retry after 7 s)"),
    (error(500), "unavailable (HTTP 500)"),
    (error(529, after_text="Half an answer"), "unavailable"),
    (malformed("bad_json"), "malformed"),
])
async def test_provider_failure_ends_the_run_with_an_error_frame(chat, vendor, user_client,
                                                                 turn, message):
    vendor.script(turn)
    frames = await chat.say("hello", model=MODEL)
    last = frames[-1]
    assert last["type"] == "error"
    assert message in last["error"]
    run = await (await user_client.get(f"/api/runs/{last['run_id']}")).json()
    assert run["run"]["status"] == "failed"
    assert message in run["run"]["error"]
    # the socket and the session stay usable
    vendor.script(reply("fine now"))
    assert (await chat.say("again", model=MODEL))[-1]["text"] == "fine now"


async def test_provider_timeout_ends_the_run(chat, vendor, user_client):
    user_client.app[RUNTIME].timeouts.provider = 0.3
    vendor.script(hang())
    last = (await chat.say("hello", model=MODEL))[-1]
    assert last["type"] == "error"
    assert "0.3 s" in last["error"]


async def test_missing_key_is_a_clear_error(user_client):
    chat = await open_chat(user_client)
    last = (await chat.say("hello", model=MODEL))[-1]
    assert last["type"] == "error"
    assert "system:anthropic_api_key" in last["error"]


async def test_pause_holds_the_next_model_call(chat, vendor, user_client, tools):
    gate = tools["gate"]
    vendor.script(tool_use("gate", {"text": "x"}), reply("after the pause"))
    await chat.send(type="message", content="go", model=MODEL)
    await gate.entered.wait()
    queue = user_client.app[RUN_QUEUE]
    queue.pause()
    gate.release()
    await chat.until("tool_done")
    await asyncio.sleep(0.2)
    assert vendor.count("/v1/messages") == 1  # waiting: no model call while paused
    queue.resume()
    done = (await chat.until("done"))[-1]
    assert done["text"] == "after the pause"
    assert vendor.count("/v1/messages") == 2


async def test_stop_during_a_stalled_model_call(chat, vendor):
    vendor.script(hang())
    await chat.send(type="message", content="hello", model=MODEL)
    await vendor.wait_for("/v1/messages")
    await chat.send(type="stop")
    assert (await chat.until("done"))[-1]["status"] == "stopped"
