"""Trigger phrases: a message matches when every word of the phrase is in it, in any order and
any case (whole words). Telegram trigger words and email trigger rules both match this way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, TypeVar

from pydantic import AfterValidator

T = TypeVar("T")
_WORD = re.compile(r"\w+")


def phrase_words(text: str) -> set[str]:
    """The distinct words of ``text``, case-folded."""
    return set(_WORD.findall(text.casefold()))


def phrase_matches(phrase: str, *texts: str) -> bool:
    """True when every word of ``phrase`` is in one of ``texts``; a phrase with no word
    matches nothing."""
    wanted = phrase_words(phrase)
    return bool(wanted) and wanted <= phrase_words("\n".join(texts))


def best_phrase_match(candidates: Iterable[T], phrase: Callable[[T], str],
                      *texts: str) -> T | None:
    """The most specific matching candidate (most words; the first among equals)."""
    present = phrase_words("\n".join(texts))
    found, best = None, 0
    for candidate in candidates:
        wanted = phrase_words(phrase(candidate))
        if len(wanted) > best and wanted <= present:
            found, best = candidate, len(wanted)
    return found


def check_phrase(value: str) -> str:
    """A trigger phrase: trimmed, single-spaced, with at least one word in it."""
    value = " ".join(value.split())
    if not _WORD.search(value):
        raise ValueError("must contain at least one word")
    return value


TriggerPhrase = Annotated[str, AfterValidator(check_phrase)]
