"""Regular expressions that start with an assertion, searched at the engine's fast speed."""

from __future__ import annotations

import re
from collections.abc import Iterator


def finditer_led(pattern: re.Pattern[str], lead: re.Pattern[str],
                 text: str) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, where ``lead`` is ``pattern`` without its
    leading assertion (a ``\\b``, a look-behind).

    The regex engine scans fast only for a pattern that starts with a character or a set of
    them; an assertion first makes it try every position. ``lead`` is found at that speed,
    and ``pattern`` is then matched where ``lead`` starts (an assertion sees the characters
    before the position it is matched at), so the matches are the same.
    """
    pos = 0
    while (candidate := lead.search(text, pos)) is not None:
        found = pattern.match(text, candidate.start())
        if found is None:
            pos = candidate.start() + 1
            continue
        yield found
        pos = max(found.end(), found.start() + 1)
