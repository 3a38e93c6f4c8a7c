"""Pieces of the provider plugins: stream assembly, the Claude catalogue, listings."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from jarvis import ProviderError, Stop, TextDelta, ToolCall, Usage
from jarvis_anthropic.catalogue import builtin_claude_models, claude_info, find_claude
from jarvis_anthropic.format import StreamAssembler
from jarvis_litellm.format import ChunkAssembler
from jarvis_litellm.listing import openrouter_models


def tool_block(index, parts, name="lookup"):
    return [
        NS(type="content_block_start", index=index,
           content_block=NS(type="tool_use", id=f"toolu_{index}", name=name)),
        *[NS(type="content_block_delta", index=index,
             delta=NS(type="input_json_delta", partial_json=p)) for p in parts],
        NS(type="content_block_stop", index=index),
    ]


def feed_all(assembler, events):
    return [out for event in events for out in assembler.feed(event)]


def test_anthropic_usage_counts_cached_prompt_tokens():
    usage = NS(input_tokens=10, cache_creation_input_tokens=200, cache_read_input_tokens=1000,
               output_tokens=1)
    events = [
        NS(type="message_start", message=NS(usage=usage)),
        NS(type="message_delta", delta=NS(stop_reason="max_tokens"), usage=NS(output_tokens=50)),
        NS(type="message_stop"),
    ]
    assert feed_all(StreamAssembler(), events) == [Usage(1210, 50), Stop("max_tokens")]


def test_anthropic_tool_without_arguments_gets_an_empty_object():
    assert feed_all(StreamAssembler(), tool_block(0, [""])) == [ToolCall("toolu_0", "lookup", {})]


@pytest.mark.parametrize("parts", [['{"q": "te'], ['["a"]']])
def test_anthropic_bad_tool_arguments_are_an_error(parts):
    with pytest.raises(ProviderError, match="arguments for the tool lookup"):
        feed_all(StreamAssembler(), tool_block(0, parts))


def test_anthropic_text_in_the_block_start_is_kept():
    event = NS(type="content_block_start", index=0, content_block=NS(type="text", text="Hi"))
    assert StreamAssembler().feed(event) == [TextDelta("Hi")]


def chunk(delta=None, finish=None, usage=None):
    fields = {"content": None, "tool_calls": None, **(delta or {})}
    choices = [] if delta is None and finish is None else [
        NS(delta=NS(**fields), finish_reason=finish)]
    return NS(choices=choices, usage=usage)


def tool_part(index=None, id=None, name=None, arguments=None):
    return NS(index=index, id=id, function=NS(name=name, arguments=arguments))


def test_openai_calls_without_index_are_told_apart_by_id():
    assembler = ChunkAssembler("Vendor")
    chunks = [
        chunk({"tool_calls": [tool_part(id="a", name="one", arguments='{"x"')]}),
        chunk({"tool_calls": [tool_part(arguments=": 1}")]}),
        chunk({"tool_calls": [tool_part(id="b", name="two", arguments={"y": 2})]}),
        chunk(finish="stop"),
        chunk(usage=NS(prompt_tokens=9, completion_tokens=4)),
    ]
    feed_all(assembler, chunks)
    assert assembler.end() == [ToolCall("a", "one", {"x": 1}), ToolCall("b", "two", {"y": 2}),
                               Usage(9, 4), Stop("tool_use")]


def test_openai_stream_without_a_finish_is_an_error():
    assembler = ChunkAssembler("Vendor")
    assert assembler.feed(chunk({"content": "Hal"})) == [TextDelta("Hal")]
    with pytest.raises(ProviderError, match="Vendor's stream ended before the answer was complete"):
        assembler.end()


def test_openai_length_finish_means_max_tokens():
    assembler = ChunkAssembler("Vendor")
    assembler.feed(chunk(finish="length"))
    assert assembler.end()[-1] == Stop("max_tokens")


def test_openai_malformed_tool_arguments_are_an_error():
    assembler = ChunkAssembler("Vendor")
    feed_all(assembler, [chunk({"tool_calls": [tool_part(0, "a", "one", "{nope")]}),
                         chunk(finish="tool_calls")])
    with pytest.raises(ProviderError, match="Vendor sent malformed arguments for the tool one"):
        assembler.end()


def test_catalogue_matches_dated_ids_by_prefix():
    assert find_claude("claude-sonnet-4-5-20250929").name == "Claude Sonnet 4.5"
    assert find_claude("claude-opus-4-1-20990101").prompt == 15.0
    assert find_claude("claude-haiku-4-5-20251001").completion == 5.0
    assert find_claude("claude-unknown") is None
    info = claude_info("claude-unknown")
    assert (info.id, info.name, info.context_length, info.pricing.prompt) == (
        "anthropic:claude-unknown", "claude-unknown", 200000, None)


def test_builtin_catalogue_lists_each_model_once():
    ids = [m.id for m in builtin_claude_models()]
    assert len(ids) == len(set(ids))
    assert {"anthropic:claude-sonnet-4-6", "anthropic:claude-haiku-4-5-20251001",
            "anthropic:claude-opus-4-6", "anthropic:claude-sonnet-4-5"} <= set(ids)


def test_openrouter_prices_that_vary_are_unknown():
    payload = {"data": [{"id": "openrouter/auto", "name": "Auto",
                         "pricing": {"prompt": "-1", "completion": "-1"}}]}
    (model,) = openrouter_models("openrouter", payload)
    assert model.pricing.prompt is None and model.pricing.completion is None
