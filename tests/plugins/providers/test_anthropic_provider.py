"""The Anthropic provider, with the real SDK talking to the fake Messages API on loopback."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys

import jarvis
import pytest
from jarvis.testing.fake_anthropic import anthropic_model
from jarvis.testing.scripted import StaticSecrets, error, hang, malformed, reply, tool_use
from jarvis_anthropic.provider import AnthropicProvider

from tests.support.vendors import KEY, ask, assert_streamed, collect, failure_of

EMAIL_TOOL = jarvis.ToolSpec(
    "email_send",
    "Send an email.",
    {"type": "object", "properties": {"to": {"type": "string"}, "body": {"type": "string"}}},
)


async def test_streamed_answer_is_assembled_from_chunks(claude, fake_anthropic, ctx):
    fake_anthropic.script(reply("The capital of France is Paris, of course.", usage=(12, 7)))
    events = await collect(claude, ask("Capital of France?"), ctx)
    assert_streamed(events, "The capital of France is Paris, of course.", (12, 7))
    sent = fake_anthropic.received("/v1/messages")[0]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json["model"] == "claude-sonnet-4-6"
    assert sent.json["stream"] is True
    assert sent.json["system"][0]["text"] == "You are terse."
    assert sent.json["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Capital of France?"}]}
    ]


async def test_tool_arguments_split_over_chunks_become_one_call(claude, fake_anthropic, ctx):
    arguments = {"to": "anna@example.com", "body": "Lunch at noon? Bring the report."}
    fake_anthropic.script(tool_use("email_send", arguments, text="Sending it now.", id="toolu_1"))
    events = await collect(claude, ask("Mail Anna", tools=[EMAIL_TOOL]), ctx)
    calls = [e for e in events if isinstance(e, jarvis.ToolCall)]
    assert calls == [jarvis.ToolCall("toolu_1", "email_send", arguments)]
    assert "".join(e.text for e in events if isinstance(e, jarvis.TextDelta)) == "Sending it now."
    assert events[-1] == jarvis.Stop("tool_use")
    tools = fake_anthropic.received("/v1/messages")[0].json["tools"]
    assert tools[0]["name"] == "email_send"
    assert tools[0]["input_schema"] == EMAIL_TOOL.input_schema


async def test_tool_result_goes_back_with_the_tool_use(claude, fake_anthropic, ctx):
    fake_anthropic.script(tool_use("email_send", {"to": "a@example.com"}, id="toolu_7"),
                          reply("Sent."))
    history = [jarvis.Message("user", [jarvis.TextBlock("Mail a@example.com")])]
    first = await collect(claude, jarvis.ModelRequest("claude-sonnet-4-6", "", history), ctx)
    call = next(e for e in first if isinstance(e, jarvis.ToolCall))
    history += [
        jarvis.Message("assistant", [jarvis.ToolUseBlock(call.id, call.name, call.arguments)]),
        jarvis.Message("user", [jarvis.ToolResultBlock(call.id, "queued as #42", is_error=False),
                         jarvis.ToolResultBlock("toolu_x", "quota exceeded", is_error=True)]),
    ]
    second = await collect(claude, jarvis.ModelRequest("claude-sonnet-4-6", "", history), ctx)
    assert "".join(e.text for e in second if isinstance(e, jarvis.TextDelta)) == "Sent."
    body = fake_anthropic.received("/v1/messages")[1].json
    assert "system" not in body
    assert body["messages"][1] == {"role": "assistant", "content": [
        {"type": "tool_use", "id": "toolu_7", "name": "email_send",
         "input": {"to": "a@example.com"}}]}
    assert body["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "toolu_7", "content": "queued as #42"},
        {"type": "tool_result", "tool_use_id": "toolu_x", "content": "quota exceeded",
         "is_error": True},
    ]


async def test_images_and_documents_use_the_api_format(claude, fake_anthropic, ctx):
    png = base64.b64encode(b"\x89PNG fake").decode()
    pdf = base64.b64encode(b"%PDF-1.7 fake").decode()
    notes = base64.b64encode("Buy milk ☕".encode()).decode()
    message = jarvis.Message("user", [
        jarvis.TextBlock("What is in these?"), jarvis.TextBlock(""),
        jarvis.ImageBlock("image/png", png),
        jarvis.DocumentBlock("application/pdf", pdf, name="report.pdf"),
        jarvis.DocumentBlock("text/plain", notes),
    ])
    await collect(claude, jarvis.ModelRequest("claude-sonnet-4-6", "", [message]), ctx)
    content = fake_anthropic.received("/v1/messages")[0].json["messages"][0]["content"]
    assert content == [
        {"type": "text", "text": "What is in these?"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}},
        {"type": "document", "title": "report.pdf",
         "source": {"type": "base64", "media_type": "application/pdf", "data": pdf}},
        {"type": "document",
         "source": {"type": "text", "media_type": "text/plain", "data": "Buy milk ☕"}},
    ]


async def test_unreadable_document_type_is_refused_before_any_call(claude, fake_anthropic, ctx):
    message = jarvis.Message("user", [jarvis.DocumentBlock("application/zip", "UEsDBA==")])
    with pytest.raises(jarvis.ProviderError, match="cannot read documents of type application/zip"):
        await collect(claude, jarvis.ModelRequest("claude-sonnet-4-6", "", [message]), ctx)
    assert fake_anthropic.count("/v1/messages") == 0


@pytest.mark.parametrize(("turn", "status", "message", "retry_after"), [
    (error(429, retry_after=7), 429, "rate limited by Anthropic (retry after 7 s)", 7.0),
    (error(429), 429, "rate limited by Anthropic", None),
    (error(500), 500, "Anthropic is unavailable (HTTP 500)", None),
    (error(529), 529, "Anthropic is unavailable (HTTP 529)", None),
    (error(529, after_text="Half an"), 529, "Anthropic is unavailable (HTTP 529)", None),
    (error(400, "max_tokens: too large"), 400,
     "Anthropic refused the request (HTTP 400): max_tokens: too large", None),
])
async def test_vendor_errors_become_clear_provider_errors(
    claude, fake_anthropic, ctx, turn, status, message, retry_after
):
    fake_anthropic.script(turn)
    failure = await failure_of(claude, ask("hello"), ctx)
    assert (str(failure), failure.status, failure.retry_after) == (message, status, retry_after)


async def test_wrong_key_is_rejected(fake_anthropic):
    provider = AnthropicProvider(base_url=fake_anthropic.base_url)
    wrong = jarvis.ProviderContext(StaticSecrets({"system:anthropic_api_key": "sk-wrong"}))
    with pytest.raises(jarvis.ProviderError, match="^Anthropic rejected the API key$") as failure:
        await collect(provider, ask("hello"), wrong)
    assert failure.value.status == 401
    await provider.close()


async def test_missing_key_names_the_credential(fake_anthropic):
    provider = AnthropicProvider(base_url=fake_anthropic.base_url)
    empty = jarvis.ProviderContext(StaticSecrets())
    with pytest.raises(jarvis.ProviderError, match="set the credential system:anthropic_api_key"):
        await collect(provider, ask("hello"), empty)
    assert fake_anthropic.requests == []


async def test_key_from_the_environment_is_used(fake_anthropic, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    provider = AnthropicProvider(base_url=fake_anthropic.base_url)
    fake_anthropic.script(reply("Hi."))
    events = await collect(provider, ask("hello"), jarvis.ProviderContext(StaticSecrets()))
    assert events[0] == jarvis.TextDelta("Hi.")
    await provider.close()


@pytest.mark.parametrize("turn", [hang(5), hang(5, after_text="Thinking")])
async def test_stalled_vendor_times_out(claude, fake_anthropic, ctx, turn):
    fake_anthropic.script(turn)
    with pytest.raises(jarvis.ProviderError, match=r"^Anthropic did not answer within 0.3 s$"):
        await collect(claude, ask("hello", timeout=0.3), ctx)


@pytest.mark.parametrize(("turn", "message"), [
    (malformed("bad_json"), "^Anthropic sent a malformed answer$"),
    (malformed("cut"), "^the connection to Anthropic broke mid-answer"),
])
async def test_broken_stream_is_an_error(claude, fake_anthropic, ctx, turn, message):
    fake_anthropic.script(turn)
    with pytest.raises(jarvis.ProviderError, match=message):
        await collect(claude, ask("hello"), ctx)


async def test_unreachable_vendor_is_reported(ctx):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = AnthropicProvider(base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(jarvis.ProviderError, match="^could not reach Anthropic"):
        await collect(provider, ask("hello"), ctx)
    await provider.close()


async def test_listing_comes_from_the_vendor_and_is_cached(claude, fake_anthropic, ctx):
    fake_anthropic.models.append(
        anthropic_model("claude-next-5", "Claude Next 5", max_input_tokens=500000, vision=False)
    )
    fake_anthropic.models.append({**anthropic_model("claude-2-1", "Old"), "lifecycle": "retired"})
    first = await claude.list_models(ctx)
    second = await claude.list_models(ctx)
    assert first == second
    assert fake_anthropic.count("/v1/models") == 1
    sent = fake_anthropic.received("/v1/models")[0]
    assert sent.headers["x-api-key"] == KEY and sent.headers["anthropic-version"]
    by_id = {m.id: m for m in first}
    assert list(by_id) == ["anthropic:claude-sonnet-4-6", "anthropic:claude-opus-4-6",
                           "anthropic:claude-haiku-4-5-20251001", "anthropic:claude-next-5"]
    sonnet = by_id["anthropic:claude-sonnet-4-6"]
    assert (sonnet.name, sonnet.provider, sonnet.context_length) == (
        "Claude Sonnet 4.6", "anthropic", 200000)
    assert (sonnet.pricing.prompt, sonnet.pricing.completion) == (3.0, 15.0)
    assert sonnet.capabilities.vision and sonnet.capabilities.tools
    unknown = by_id["anthropic:claude-next-5"]
    assert unknown.context_length == 500000
    assert unknown.pricing.prompt is None and not unknown.capabilities.vision


async def test_listing_follows_pages(claude, fake_anthropic, ctx):
    fake_anthropic.models = [anthropic_model(f"claude-test-{i}", f"T{i}") for i in range(130)]
    models = await claude.list_models(ctx)
    assert len(models) == 130
    assert fake_anthropic.count("/v1/models") == 2


async def test_listing_expires_after_an_hour(claude, fake_anthropic, ctx):
    now = [0.0]
    claude.listing_cache = jarvis.ListingCache(clock=lambda: now[0])
    await claude.list_models(ctx)
    now[0] = 3599.0
    await claude.list_models(ctx)
    assert fake_anthropic.count("/v1/models") == 1
    now[0] = 3601.0
    await claude.list_models(ctx)
    assert fake_anthropic.count("/v1/models") == 2


async def test_failing_listing_falls_back_to_the_catalogue(claude, fake_anthropic, ctx):
    now = [0.0]
    claude.listing_cache = jarvis.ListingCache(clock=lambda: now[0])
    fake_anthropic.models_error = error(500)
    models = await claude.list_models(ctx)
    assert "anthropic:claude-sonnet-4-6" in [m.id for m in models]
    assert "anthropic:claude-haiku-4-5-20251001" in [m.id for m in models]
    assert claude.last_error.startswith("listing Anthropic models failed: HTTP 500")
    # a failure is retried within minutes, not an hour
    fake_anthropic.models_error = None
    now[0] = 61.0
    await claude.list_models(ctx)
    assert claude.last_error is None
    assert fake_anthropic.count("/v1/models") == 2


async def test_listing_without_a_key_shows_the_catalogue(fake_anthropic):
    provider = AnthropicProvider(base_url=fake_anthropic.base_url)
    models = await provider.list_models(jarvis.ProviderContext(StaticSecrets()))
    assert "anthropic:claude-opus-4-6" in [m.id for m in models]
    assert all(m.context_length == 200000 and m.pricing.prompt for m in models)
    assert fake_anthropic.requests == []


def test_importing_the_providers_does_not_import_the_sdks():
    code = (
        "import sys, jarvis_anthropic, jarvis_anthropic.provider, jarvis_litellm, "
        "jarvis_litellm.provider, jarvis.testing.fake_anthropic, jarvis.testing.fake_openai, "
        "jarvis.testing.scripted; "
        "print(sorted(m for m in ('anthropic', 'litellm', 'openai') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
