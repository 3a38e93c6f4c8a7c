"""Pieces of the runtime on their own: the prompt, the history repair, the frame parser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from jarvis.chat.protocol import ChatMessage, Confirm, ProtocolError, parse
from jarvis.providers.base import Message, TextBlock, ToolResultBlock, ToolUseBlock
from jarvis.runtime.history import NOT_RUN, flatten, repair
from jarvis.runtime.prompt import PromptParts, first_user_text, system_prompt


def test_time_is_given_in_the_configured_zone():
    parts = PromptParts(persona="You are Jarvis.", agent_name="Jarvis", time_zone="Asia/Tokyo")
    text = system_prompt(parts, now=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert "Monday, 02 March 2026, 08:30 (Asia/Tokyo)" in text


def test_canary_is_planted_in_the_prompt():
    parts = PromptParts("p", "J", "UTC", canary="JC-ABCDEFGHIJ")
    assert "JC-ABCDEFGHIJ" in system_prompt(parts)


def test_untrusted_input_is_fenced_and_stripped():
    text = first_user_text("", agent_prompt=None, prompt_mode="combined",
                           untrusted_input="hi\u200b there", source="the mail trigger")
    assert "hi there" in text
    assert "<<untrusted-data boundary=" in text
    assert "the mail trigger" in text


def test_empty_task_message_gets_a_default():
    assert first_user_text("", agent_prompt="x", prompt_mode="combined", untrusted_input=None,
                           source="s") == "Carry out your task now."


def test_repair_answers_calls_left_without_results():
    history = [
        Message("user", [TextBlock("q")]),
        Message("assistant", [ToolUseBlock("c1", "lookup", {}), ToolUseBlock("c2", "lookup", {})]),
        Message("user", [ToolResultBlock("c1", "ok"), ToolResultBlock("zz", "stray")]),
        Message("user", [TextBlock("next")]),
    ]
    fixed = repair(history)
    assert [m.role for m in fixed] == ["user", "assistant", "user"]
    results = [b for b in fixed[2].content if isinstance(b, ToolResultBlock)]
    assert [(r.tool_use_id, r.content) for r in results] == [("c1", "ok"), ("c2", NOT_RUN)]
    assert fixed[2].content[-1] == TextBlock("next")


def test_repair_drops_a_leading_assistant_message():
    fixed = repair([Message("assistant", [TextBlock("hi")]), Message("user", [TextBlock("q")])])
    assert [m.role for m in fixed] == ["user"]


def test_flatten_spells_tool_blocks_out_as_text():
    flat = flatten([
        Message("user", [TextBlock("q")]),
        Message("assistant", [ToolUseBlock("c1", "lookup", {"text": "a"})]),
        Message("user", [ToolResultBlock("c1", "found", is_error=True)]),
    ])
    blocks = [b for m in flat for b in m.content]
    assert all(isinstance(b, TextBlock) for b in blocks)
    assert 'lookup with {"text": "a"}' in blocks[1].text
    assert "error of the call c1" in blocks[2].text


def test_parse_accepts_the_protocol_frames():
    frame = parse('{"type": "message", "content": "hi", "conversation_id": "c", "extra": 1}')
    assert isinstance(frame, ChatMessage)
    assert frame.conversation_id == "c"
    assert parse('{"type": "confirm", "call_id": "x", "approved": false}') == Confirm(
        type="confirm", call_id="x", approved=False)


@pytest.mark.parametrize("raw", ['{"type": 1}', '{"type": "message", "content": ""}',
                                 '{"type": "confirm", "call_id": "x", "approved": 1}'])
def test_parse_refuses_wrong_types(raw):
    with pytest.raises(ProtocolError):
        parse(raw)
