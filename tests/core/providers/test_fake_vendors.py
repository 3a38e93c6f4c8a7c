"""The fake vendor servers speak the vendors' wire formats, as a plain HTTP client sees them."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jarvis.testing.fake_anthropic import FakeAnthropic
from jarvis.testing.script import json_chunks, text_chunks
from jarvis.testing.scripted import error, hang, malformed, reply, tool_use
from multidict import CIMultiDict

from tests.support.vendors import KEY

MESSAGE = {"model": "claude-sonnet-4-6", "max_tokens": 100,
           "messages": [{"role": "user", "content": "Hi there"}]}
CHAT = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi there"}]}


def sse_events(raw: str) -> list[tuple[str | None, dict | str]]:
    """(event name, parsed data) for every event of an SSE body."""
    events = []
    for block in raw.strip().split("\n\n"):
        name, data = None, ""
        for line in block.splitlines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
        events.append((name, data if data == "[DONE]" else json.loads(data)))
    return events


async def post(url: str, body: dict, **headers: str) -> tuple[int, CIMultiDict, str]:
    async with aiohttp.ClientSession() as session, session.post(
        url, json=body, headers=headers
    ) as response:
        return response.status, response.headers.copy(), await response.text()


async def test_anthropic_stream_has_the_messages_api_shape(fake_anthropic):
    fake_anthropic.script(tool_use("email_send", {"to": "anna@example.com", "subject": "Lunch"},
                                   text="Sending the mail now."))
    status, headers, raw = await post(f"{fake_anthropic.url}/v1/messages",
                                      {**MESSAGE, "stream": True}, **{"x-api-key": KEY})
    assert status == 200 and headers["Content-Type"].startswith("text/event-stream")
    events = sse_events(raw)
    names = [name for name, _ in events]
    assert names[:2] == ["message_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"]
    assert all(name == data["type"] for name, data in events)
    deltas = [d["delta"] for _, d in events if "delta" in d]
    texts = [d["text"] for d in deltas if d.get("type") == "text_delta"]
    assert len(texts) > 1 and "".join(texts) == "Sending the mail now."
    starts = [d["content_block"] for n, d in events if n == "content_block_start"]
    assert [b["type"] for b in starts] == ["text", "tool_use"]
    assert starts[1]["name"] == "email_send" and starts[1]["id"].startswith("toolu_")
    parts = [d["partial_json"] for d in deltas if d.get("type") == "input_json_delta"]
    assert parts[0] == "" and len(parts) > 3
    assert json.loads("".join(parts)) == {"to": "anna@example.com", "subject": "Lunch"}
    final = events[-2][1]
    assert final["delta"]["stop_reason"] == "tool_use" and final["usage"]["output_tokens"] > 0


async def test_anthropic_json_mode_returns_a_whole_message(fake_anthropic):
    fake_anthropic.script(hang(0.01, after_text="Well, ", then=reply("hello.")))
    status, _, raw = await post(f"{fake_anthropic.url}/v1/messages", MESSAGE,
                                Authorization=f"Bearer {KEY}")
    body = json.loads(raw)
    assert status == 200
    assert body["type"] == "message" and body["role"] == "assistant"
    assert body["content"] == [{"type": "text", "text": "Well, hello."}]
    assert body["stop_reason"] == "end_turn"
    assert body["usage"]["input_tokens"] > 0


async def test_anthropic_wrong_key_gets_the_vendor_error_body(fake_anthropic):
    status, _, raw = await post(f"{fake_anthropic.url}/v1/messages", MESSAGE,
                                **{"x-api-key": "nope"})
    assert status == 401
    assert json.loads(raw) == {"type": "error", "error": {
        "type": "authentication_error", "message": "invalid x-api-key"}}


async def test_anthropic_scripted_errors_carry_type_and_retry_after(fake_anthropic):
    fake_anthropic.script(error(429, retry_after=7), error(529))
    url = f"{fake_anthropic.url}/v1/messages"
    status, headers, raw = await post(url, MESSAGE, **{"x-api-key": KEY})
    assert (status, headers["retry-after"]) == (429, "7")
    assert json.loads(raw)["error"]["type"] == "rate_limit_error"
    status, _, raw = await post(url, MESSAGE, **{"x-api-key": KEY})
    assert status == 529 and json.loads(raw)["error"]["type"] == "overloaded_error"


async def test_anthropic_without_a_script_echoes(fake_anthropic):
    _, _, raw = await post(f"{fake_anthropic.url}/v1/messages", MESSAGE, **{"x-api-key": KEY})
    assert json.loads(raw)["content"][0]["text"] == "Echo: Hi there"


async def test_openai_stream_without_usage_option_ends_with_done(fake_openai):
    fake_openai.script(reply("Fine, thanks for asking."))
    status, _, raw = await post(f"{fake_openai.base_url}/chat/completions",
                                {**CHAT, "stream": True}, Authorization=f"Bearer {KEY}")
    events = [data for _, data in sse_events(raw)]
    assert status == 200 and events[-1] == "[DONE]"
    chunks = events[:-1]
    assert all(c["object"] == "chat.completion.chunk" and "usage" not in c for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert text == "Fine, thanks for asking."
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


async def test_openai_stream_reports_usage_when_asked(fake_openai):
    fake_openai.script(reply("ok", usage=(5, 1)))
    body = {**CHAT, "stream": True, "stream_options": {"include_usage": True}}
    _, _, raw = await post(f"{fake_openai.base_url}/chat/completions", body,
                           Authorization=f"Bearer {KEY}")
    last = [data for _, data in sse_events(raw)][-2]
    assert last["choices"] == []
    assert last["usage"] == {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}


async def test_openai_json_mode_returns_tool_calls(fake_openai):
    fake_openai.script(tool_use("weather", {"city": "Rome"}, id="call_1"))
    status, _, raw = await post(f"{fake_openai.base_url}/chat/completions", CHAT,
                                Authorization=f"Bearer {KEY}")
    choice = json.loads(raw)["choices"][0]
    assert status == 200 and choice["finish_reason"] == "tool_calls"
    assert choice["message"]["tool_calls"] == [{"id": "call_1", "type": "function", "function": {
        "name": "weather", "arguments": '{"city": "Rome"}'}}]


async def test_openai_errors_have_the_openai_shape(fake_openai):
    status, _, raw = await post(f"{fake_openai.base_url}/chat/completions", CHAT,
                                Authorization="Bearer wrong")
    assert status == 401
    assert json.loads(raw)["error"]["code"] == "invalid_api_key"
    fake_openai.script(error(500))
    status, _, raw = await post(f"{fake_openai.base_url}/chat/completions", CHAT,
                                Authorization=f"Bearer {KEY}")
    assert status == 500 and json.loads(raw)["error"]["type"] == "server_error"


async def test_requests_are_recorded_and_awaitable(fake_openai):
    waiter = asyncio.create_task(fake_openai.wait_for("/v1/chat/completions"))
    await post(f"{fake_openai.base_url}/chat/completions", CHAT, Authorization=f"Bearer {KEY}")
    recorded = await waiter
    assert recorded.method == "POST" and recorded.json == CHAT
    assert recorded.headers["authorization"] == f"Bearer {KEY}"
    assert fake_openai.count("/v1/chat/completions") == 1


async def test_close_ends_a_hanging_request():
    fake = await FakeAnthropic(hang(), api_key=KEY).start()
    request = asyncio.create_task(post(f"{fake.url}/v1/messages", MESSAGE, **{"x-api-key": KEY}))
    await fake.wait_for("/v1/messages")
    await asyncio.wait_for(fake.close(), 5)
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(request, 5)


def test_unknown_malformed_kind_is_refused():
    with pytest.raises(ValueError, match="unknown malformed kind"):
        malformed("garbled")


@given(st.text())
def test_text_chunks_lose_nothing(text):
    assert "".join(text_chunks(text)) == text


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=10), max_size=5))
def test_json_chunks_rebuild_the_arguments(arguments):
    assert json.loads("".join(json_chunks(arguments))) == arguments


async def test_a_malformed_whole_answer_is_cut_off_json(fake_anthropic, fake_openai):
    fake_anthropic.script(malformed())
    fake_openai.script(malformed())
    for url, body in ((f"{fake_anthropic.url}/v1/messages", MESSAGE),
                      (f"{fake_openai.base_url}/chat/completions", CHAT)):
        status, headers, raw = await post(url, body, Authorization=f"Bearer {KEY}")
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        assert raw.startswith('{"id": ')
        with pytest.raises(ValueError):
            json.loads(raw)
