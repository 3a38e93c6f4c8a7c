"""Trigger phrase matching and cutting answers to Telegram's message size."""

from __future__ import annotations

import pytest
from jarvis import phrase_matches
from jarvis_telegram.text import best_match, split_message
from jarvis_telegram.trigger_store import TriggerRow


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("What's the weather today?", "weather", True),
    ("TODAY: weather, please", "weather today", True),
    ("weatherman today", "weather today", False),
    ("the weather", "weather today", False),
    ("Météo à Paris", "météo", True),
    ("anything", "?!", False),
])
def test_every_word_of_the_phrase_in_any_order_and_case(text, phrase, expected):
    assert phrase_matches(phrase, text) is expected


def test_most_specific_trigger_wins_then_the_oldest():
    rows = [TriggerRow("1", "u", "weather", "a1"), TriggerRow("2", "u", "weather report", "a2"),
            TriggerRow("3", "u", "report weather", "a3")]
    assert best_match("weather report please", rows).id == "2"
    assert best_match("weather please", rows).id == "1"
    assert best_match("news please", rows) is None


def test_short_text_is_one_message():
    assert split_message("  hello  ") == ["hello"]
    assert split_message("   \n ") == []


def test_split_prefers_paragraphs_then_lines_then_words():
    para = "a" * 60 + "\n\n" + "b" * 30 + "\n" + "c" * 30
    assert split_message(para, limit=100) == ["a" * 60, "b" * 30 + "\n" + "c" * 30]
    lines = "a" * 60 + "\n" + "b" * 60
    assert split_message(lines, limit=100) == ["a" * 60, "b" * 60]
    words = "word " * 30
    parts = split_message(words, limit=22)
    assert all(len(p) <= 22 for p in parts)
    assert " ".join(parts).split() == words.split()


def test_text_without_breaks_is_cut_hard():
    text = "x" * 10_000
    parts = split_message(text)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


def test_limit_counts_utf16_units_like_telegram():
    text = "😀" * 3000  # 6000 UTF-16 code units
    parts = split_message(text)
    assert "".join(parts) == text
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert len(parts) == 2


def test_an_early_break_is_not_used():
    # A paragraph break in the first half would make a tiny first message: cut later instead.
    text = "a" * 10 + "\n\n" + "b" * 200
    parts = split_message(text, limit=100)
    assert parts[0].startswith("a" * 10 + "\n\nb") and len(parts[0]) == 100
