"""Telegram's message formatting rules (HTML, MarkdownV2, Markdown), as the Bot API checks them."""

from __future__ import annotations

import html
import re

_HTML_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "tg-emoji", "code", "pre", "blockquote",
})
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)(\s[^<>]*)?>")
_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
# Characters that never start formatting, so Telegram rejects them unless escaped.
_MDV2_ALWAYS_ESCAPED = frozenset("#+-={}.!")


class MarkupError(ValueError):
    """The text does not parse in the requested parse_mode (the Bot API answers 400)."""


def _html_plain_text(text: str) -> str:
    """Check Telegram's HTML subset the way the Bot API does and return the visible text."""
    stack: list[str] = []
    pos = 0
    while (start := text.find("<", pos)) != -1:
        tag = _HTML_TAG.match(text, start)
        where = f"at byte offset {len(text[:start].encode())}"
        if tag is None:
            raise MarkupError(f"can't parse entities: Unsupported start tag {where}")
        closing, name = tag.group(1), tag.group(2).lower()
        if name not in _HTML_TAGS:
            raise MarkupError(f'can\'t parse entities: Unsupported start tag "{name}" {where}')
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise MarkupError(f"can't parse entities: Unmatched end tag {where}, "
                              f'found "</{name}>"')
        pos = tag.end()
    if stack:
        raise MarkupError("can't parse entities: Can't find end tag corresponding to start "
                          f'tag "{stack[-1]}"')
    return html.unescape(_HTML_TAG.sub("", text))


def _markdown_v2_plain_text(text: str) -> str:
    """Reject MarkdownV2 characters that must be escaped and return the visible text."""
    out: list[str] = []
    index, in_code = 0, False
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
            continue
        if char == "`":
            in_code = not in_code
        elif in_code:
            out.append(char)
        elif char == "]" and text.startswith("(", index + 1):
            # A link: the URL part in parentheses is not shown.
            index = text.find(")", index) if ")" in text[index:] else len(text)
        elif char in _MDV2_ALWAYS_ESCAPED or (char == ">" and index and text[index - 1] != "\n"):
            raise MarkupError(f"can't parse entities: Character '{char}' is reserved and must "
                              "be escaped with the preceding '\\'")
        elif char not in _MDV2_RESERVED:
            out.append(char)
        index += 1
    return "".join(out)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a Telegram user would see for ``text`` sent with ``parse_mode``."""
    mode = (parse_mode or "").lower()
    if not mode:
        return text
    if mode == "html":
        return _html_plain_text(text)
    if mode == "markdownv2":
        return _markdown_v2_plain_text(text)
    if mode == "markdown":
        return re.sub(r"[*_`\[]", "", text)
    raise MarkupError("unsupported parse_mode")


