"""Matching messages against trigger phrases, and cutting answers to Telegram's size."""

from __future__ import annotations

from collections.abc import Sequence

from jarvis import best_phrase_match

from .trigger_store import TriggerRow

MAX_MESSAGE = 4096  # Telegram's limit, counted in UTF-16 code units


def best_match(text: str, candidates: Sequence[TriggerRow]) -> TriggerRow | None:
    """The most specific matching trigger (most words; the oldest among equals)."""
    return best_phrase_match(candidates, lambda t: t.trigger_word, text)


def _fit(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 code units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Cut ``text`` into messages of at most ``limit``, at paragraph, line or word boundaries
    where one falls in the second half of a message, else mid-word. Blank parts are dropped."""
    parts: list[str] = []
    rest = text.strip()
    while rest:
        end = max(_fit(rest, limit), 1)  # always make progress
        if end >= len(rest):
            parts.append(rest)
            break
        window = rest[:end]
        cut, skip = end, 0
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at >= end // 2:
                cut, skip = at, len(separator)
                break
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut + skip:].lstrip("\n")
    return parts
