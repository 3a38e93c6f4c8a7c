"""The litellm providers (OpenAI, OpenRouter, Ollama) with litellm talking to fakes on loopback."""

from __future__ import annotations

import base64
import json

import jarvis
import pytest
from jarvis.testing.fake_openai import openrouter_model
from jarvis.testing.scripted import StaticSecrets, call, error, hang, malformed, reply, tool_use
from jarvis.testing.servers import free_port
from jarvis_litellm.provider import LiteLLMProvider, default_litellm_providers

from tests.support.vendors import KEY, ask, assert_streamed, collect, failure_of

WEATHER = jarvis.ToolSpec("weather", "The weather in a city.",
                   {"type": "object", "properties": {"city": {"type": "string"}}})


async def test_streamed_answer_is_assembled_from_chunks(openai, fake_openai, ctx):
    fake_openai.script(reply("Sunny all day, with a light breeze from the west.", usage=(21, 9)))
    events = await collect(openai, ask("Weather?", model="gpt-4o"), ctx)
    assert_streamed(events, "Sunny all day, with a light breeze from the west.", (21, 9))
    sent = fake_openai.received("/v1/chat/completions")[0]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json["model"] == "gpt-4o"
    assert sent.json["stream_options"] == {"include_usage": True}
    assert sent.json["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Weather?"},
    ]


async def test_tool_calls_split_over_chunks_are_assembled(openai, fake_openai, ctx):
    fake_openai.script(reply("Checking both.",
                             call("weather", {"city": "Lisbon", "units": "metric"}, id="call_1"),
                             call("weather", {"city": "Porto"}, id="call_2")))
    events = await collect(openai, ask("Lisbon and Porto?", model="gpt-4o", tools=[WEATHER]), ctx)
    assert [e for e in events if isinstance(e, jarvis.ToolCall)] == [
        jarvis.ToolCall("call_1", "weather", {"city": "Lisbon", "units": "metric"}),
        jarvis.ToolCall("call_2", "weather", {"city": "Porto"}),
    ]
    assert events[-1] == jarvis.Stop("tool_use")
    tools = fake_openai.received("/v1/chat/completions")[0].json["tools"]
    assert tools == [{"type": "function", "function": {
        "name": "weather", "description": "The weather in a city.",
        "parameters": WEATHER.input_schema}}]


async def test_tool_results_go_back_as_tool_messages(openai, fake_openai, ctx):
    fake_openai.script(tool_use("weather", {"city": "Oslo"}, id="call_9"), reply("Cold."))
    history = [jarvis.Message("user", [jarvis.TextBlock("Oslo?")])]
    first = await collect(openai, jarvis.ModelRequest("gpt-4o", "", history, tools=[WEATHER]), ctx)
    call_event = next(e for e in first if isinstance(e, jarvis.ToolCall))
    history += [
        jarvis.Message("assistant", [
            jarvis.TextBlock("Let me look."),
            jarvis.ToolUseBlock(call_event.id, call_event.name, call_event.arguments)]),
        jarvis.Message("user", [jarvis.ToolResultBlock("call_9", "-3 C", is_error=False),
                         jarvis.TextBlock("And tomorrow?")]),
    ]
    second = await collect(openai, jarvis.ModelRequest("gpt-4o", "", history, tools=[WEATHER]), ctx)
    assert "".join(e.text for e in second if isinstance(e, jarvis.TextDelta)) == "Cold."
    messages = fake_openai.received("/v1/chat/completions")[1].json["messages"]
    assert messages[1]["role"] == "assistant"
    assert messages[1]["content"] == "Let me look."
    assert [(c["id"], c["function"]["name"], json.loads(c["function"]["arguments"]))
            for c in messages[1]["tool_calls"]] == [("call_9", "weather", {"city": "Oslo"})]
    assert messages[2] == {"role": "tool", "tool_call_id": "call_9", "content": "-3 C"}
    assert messages[3] == {"role": "user", "content": "And tomorrow?"}


async def test_images_go_as_data_urls(openai, fake_openai, ctx):
    png = base64.b64encode(b"\x89PNG fake").decode()
    message = jarvis.Message("user", [jarvis.TextBlock("What is this?"),
                                      jarvis.ImageBlock("image/png", png)])
    await collect(openai, jarvis.ModelRequest("gpt-4o", "", [message]), ctx)
    content = fake_openai.received("/v1/chat/completions")[0].json["messages"][0]["content"]
    assert content[0] == {"type": "text", "text": "What is this?"}
    assert content[1]["type"] == "image_url"
    assert content[1]["image_url"]["url"] == f"data:image/png;base64,{png}"


async def test_text_documents_are_inlined(openai, fake_openai, ctx):
    notes = base64.b64encode(b"Buy milk").decode()
    message = jarvis.Message("user", [jarvis.TextBlock("Summarise"),
                                      jarvis.DocumentBlock("text/plain", notes, "n.txt")])
    await collect(openai, jarvis.ModelRequest("gpt-4o", "", [message]), ctx)
    content = fake_openai.received("/v1/chat/completions")[0].json["messages"][0]["content"]
    assert content == "Summarise\n\n[n.txt]\nBuy milk"


@pytest.mark.parametrize(("turn", "status", "message", "retry_after"), [
    (error(429, retry_after=7), 429, "rate limited by OpenAI (retry after 7 s)", 7.0),
    (error(500), 500, "OpenAI is unavailable (HTTP 500)", None),
    (error(503), 503, "OpenAI is unavailable (HTTP 503)", None),
    (error(400, "max_tokens is too large"), 400,
     "OpenAI refused the request (HTTP 400): max_tokens is too large", None),
])
async def test_vendor_errors_become_clear_provider_errors(
    openai, fake_openai, ctx, turn, status, message, retry_after
):
    fake_openai.script(turn)
    failure = await failure_of(openai, ask("hello", model="gpt-4o"), ctx)
    assert (str(failure), failure.status, failure.retry_after) == (message, status, retry_after)


async def test_wrong_key_is_rejected(openai):
    wrong = jarvis.ProviderContext(StaticSecrets({"system:openai_api_key": "sk-wrong"}))
    with pytest.raises(jarvis.ProviderError, match="^OpenAI rejected the API key$") as failure:
        await collect(openai, ask("hello", model="gpt-4o"), wrong)
    assert failure.value.status == 401


async def test_missing_key_names_the_credential(openai, fake_openai):
    with pytest.raises(jarvis.ProviderError, match="set the credential system:openai_api_key"):
        await collect(openai, ask("hello", model="gpt-4o"), jarvis.ProviderContext(StaticSecrets()))
    assert fake_openai.requests == []


@pytest.mark.parametrize(("turn", "message"), [
    (hang(5), r"^OpenAI did not answer within 0.5 s$"),
    (hang(5, after_text="Thinking"), r"^OpenAI did not answer within 0.5 s$"),
    (malformed("bad_json"), "^OpenAI sent a malformed answer$"),
    (malformed("cut"), "^the answer from OpenAI broke off mid-stream"),
    (error(503, after_text="Half an"), "^the answer from OpenAI broke off mid-stream"),
])
async def test_stalled_or_broken_stream_is_an_error(openai, fake_openai, ctx, turn, message):
    fake_openai.script(turn)
    with pytest.raises(jarvis.ProviderError, match=message):
        await collect(openai, ask("hello", model="gpt-4o", timeout=0.5), ctx)


async def test_openai_listing_shows_chat_models_with_prices(openai, fake_openai, ctx):
    from jarvis_litellm.provider import load_litellm

    cost = (await load_litellm()).model_cost["gpt-4o"]
    models = await openai.list_models(ctx)
    assert await openai.list_models(ctx) == models
    assert fake_openai.count("/v1/models") == 1
    assert [m.id for m in models] == ["openai:gpt-4o", "openai:gpt-4o-mini"]
    gpt = models[0]
    assert gpt.pricing.prompt == pytest.approx(cost["input_cost_per_token"] * 1e6)
    assert gpt.pricing.completion == pytest.approx(cost["output_cost_per_token"] * 1e6)
    assert gpt.pricing.prompt > 0
    assert gpt.context_length == cost["max_input_tokens"]
    assert gpt.capabilities.vision and gpt.capabilities.tools


async def test_openai_listing_without_a_key_is_empty(openai, fake_openai):
    assert await openai.list_models(jarvis.ProviderContext(StaticSecrets())) == []
    assert openai.last_error == (
        "no OpenAI API key configured: set the credential system:openai_api_key")
    assert fake_openai.requests == []


async def test_failing_listing_is_empty_and_does_not_raise(openai, fake_openai, ctx):
    now = [0.0]
    openai.listing_cache = jarvis.ListingCache(clock=lambda: now[0])
    fake_openai.models_error = error(500)
    assert await openai.list_models(ctx) == []
    assert openai.last_error.startswith("listing OpenAI models failed: HTTP 500")
    fake_openai.models_error = None
    now[0] = 61.0
    assert len(await openai.list_models(ctx)) == 2
    assert openai.last_error is None


@pytest.fixture
def openrouter(fake_openai) -> LiteLLMProvider:
    (provider,) = [p for p in default_litellm_providers({"openrouter": fake_openai.openrouter_url})
                   if p.id == "openrouter"]
    return provider


async def test_openrouter_listing_converts_prices_per_million(openrouter, fake_openai, ctx):
    fake_openai.openrouter_models.append(
        openrouter_model("perplexity/sonar:online", "Sonar Online", prompt="0.000001",
                         completion="0.000001"))
    models = await openrouter.list_models(ctx)
    await openrouter.list_models(ctx)
    assert fake_openai.count("/api/v1/models") == 1
    by_id = {m.id: m for m in models}
    claude = by_id["openrouter:anthropic/claude-sonnet-4.5"]
    assert (claude.name, claude.provider, claude.context_length) == (
        "Anthropic: Claude Sonnet 4.5", "openrouter", 1000000)
    assert (claude.pricing.prompt, claude.pricing.completion) == (3.0, 15.0)
    assert claude.capabilities.vision and claude.capabilities.tools
    assert not claude.capabilities.online
    llama = by_id["openrouter:meta-llama/llama-3.3-70b-instruct"]
    assert (llama.pricing.prompt, llama.pricing.completion) == (0.13, 0.4)
    assert not llama.capabilities.vision
    assert by_id["openrouter:perplexity/sonar:online"].capabilities.online


async def test_openrouter_streams_through_its_own_prefix(openrouter, fake_openai, ctx):
    fake_openai.script(reply("Bonjour."))
    events = await collect(openrouter, ask("hi", model="anthropic/claude-sonnet-4.5"), ctx)
    assert "".join(e.text for e in events if isinstance(e, jarvis.TextDelta)) == "Bonjour."
    sent = fake_openai.received("/api/v1/chat/completions")[0]
    assert sent.json["model"] == "anthropic/claude-sonnet-4.5"
    assert sent.headers["authorization"] == f"Bearer {KEY}"


@pytest.fixture
def ollama(fake_ollama) -> LiteLLMProvider:
    (provider,) = [p for p in default_litellm_providers({"ollama": fake_ollama.base_url})
                   if p.id == "ollama"]
    return provider


async def test_ollama_streams_text_and_tool_calls_without_a_key(ollama, fake_ollama):
    no_keys = jarvis.ProviderContext(StaticSecrets())
    fake_ollama.script(reply("Let me check.", call("weather", {"city": "Rome"})), reply("Warm."))
    events = await collect(ollama, ask("Rome?", model="llama3.2:latest", tools=[WEATHER]), no_keys)
    calls = [e for e in events if isinstance(e, jarvis.ToolCall)]
    assert [(c.name, c.arguments) for c in calls] == [("weather", {"city": "Rome"})]
    assert "".join(e.text for e in events if isinstance(e, jarvis.TextDelta)) == "Let me check."
    assert events[-1] == jarvis.Stop("tool_use")
    history = [jarvis.Message("user", [jarvis.TextBlock("Rome?")]),
               jarvis.Message("assistant", [
                   jarvis.ToolUseBlock(calls[0].id, "weather", {"city": "Rome"})]),
               jarvis.Message("user", [jarvis.ToolResultBlock(calls[0].id, "28 C")])]
    events = await collect(ollama, jarvis.ModelRequest("llama3.2:latest", "", history), no_keys)
    assert [e for e in events if isinstance(e, jarvis.TextDelta)] == [jarvis.TextDelta("Warm.")]
    assert isinstance(events[-2], jarvis.Usage) and events[-2].output_tokens > 0
    sent = fake_ollama.received("/api/chat")[1].json
    assert sent["model"] == "llama3.2:latest"
    assert sent["messages"][-1]["role"] == "tool"
    assert sent["messages"][-1]["content"] == "28 C"
    # litellm must not ask Ollama about the model on its own (a blocking call)
    assert fake_ollama.count("/api/show") == 0


async def test_ollama_listing_reads_tags(ollama, fake_ollama, ctx):
    models = await ollama.list_models(ctx)
    assert [m.id for m in models] == ["ollama:llama3.2:latest", "ollama:llava:7b"]
    assert [m.capabilities.vision for m in models] == [False, True]
    assert models[0].pricing.prompt == 0.0


async def test_unreachable_ollama_lists_nothing(ctx):
    provider = LiteLLMProvider("ollama", "ollama_chat/", f"http://127.0.0.1:{free_port()}",
                               None, None)
    assert await provider.list_models(ctx) == []
    assert provider.last_error.startswith("listing Ollama models failed: could not reach")


def test_default_providers_and_their_base_urls():
    providers = default_litellm_providers({"openai": "http://openai.internal/v1"})
    assert [(p.id, p.litellm_prefix, p.base_url, p.key_credential) for p in providers] == [
        ("openrouter", "openrouter/", "https://openrouter.ai/api/v1", "system:openrouter_api_key"),
        ("openai", "openai/", "http://openai.internal/v1", "system:openai_api_key"),
        ("ollama", "ollama_chat/", "http://127.0.0.1:11434", None),
    ]
    assert [p.listing_url() for p in providers] == [
        "https://openrouter.ai/api/v1/models",
        "http://openai.internal/v1/models",
        "http://127.0.0.1:11434/api/tags",
    ]


async def test_loading_litellm_leaves_the_scheduler_logging_alone():
    import logging

    from jarvis_litellm.provider import load_litellm

    executor = logging.getLogger("apscheduler.executors.default")
    executor.setLevel(logging.NOTSET)
    await load_litellm()
    assert executor.level == logging.NOTSET
