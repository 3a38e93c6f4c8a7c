"""Just enough CSS to tell whether declarations hide an element from a reader, read with a
real CSS tokenizer (tinycss2) so that strings, escapes and comments count as in a browser."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import tinycss2

Declarations = dict[str, str]

_NUMBER = re.compile(r"^(-?(?:\d+\.?\d*|\.\d+))([a-z%]*)$")
_ZERO_ALPHA = re.compile(
    r"^(transparent|rgba?\([^)]*[,/]\s*0*\.?0+%?\s*\)|hsla?\([^)]*[,/]\s*0*\.?0+%?\s*\)|"
    r"#[0-9a-f]{6}00|#[0-9a-f]{3}0)$"
)
_ABSOLUTE_SIZES = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large"}
_OFFSET_PROPS = ("left", "top", "right", "text-indent", "margin-left", "margin-top")
_BOX_PROPS = ("width", "height", "max-width", "max-height")
_MAX_RULES = 2000
# Every property the checks below read: the others cannot hide text.
READ = frozenset({
    "display", "content-visibility", "opacity", "overflow", "overflow-x", "overflow-y", "clip",
    "clip-path", "transform", "visibility", "font-size", "color", "background-color",
    "background", *_OFFSET_PROPS, *_BOX_PROPS,
})


def parse_declarations(style: str) -> Declarations:
    """Parse ``prop: value; ...`` into lower-case pairs, ``!important`` dropped, as a browser
    reads them: escapes decoded (``\\6e one`` is ``none``), strings and comments skipped."""
    if not style or style.isspace():
        return {}
    return dict(_declarations(style))


@functools.lru_cache(maxsize=1024)
def _declarations(style: str) -> tuple[tuple[str, str], ...]:
    items = tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True)
    return tuple(_pairs(items))


def _pairs(items: list[Any]) -> Iterator[tuple[str, str]]:
    for item in items:
        if item.type == "declaration":
            value = tinycss2.serialize(t for t in item.value if t.type != "comment")
            yield item.lower_name, " ".join(value.lower().split())


def parse_rules(css: str) -> list[tuple[str, Declarations]]:
    """Top-level and @media/@supports rules as (selector list, declarations), tokenized as a
    browser does (a ``}`` inside a string or an escape does not end a rule)."""
    rules: list[tuple[str, Declarations]] = []
    _collect(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), rules)
    return rules


def _collect(nodes: list[Any], rules: list[tuple[str, Declarations]]) -> None:
    for node in nodes:
        if len(rules) >= _MAX_RULES:
            return
        if node.type == "qualified-rule":
            selector = tinycss2.serialize(node.prelude).strip()
            if selector:
                body = tinycss2.parse_blocks_contents(
                    node.content, skip_comments=True, skip_whitespace=True)
                rules.append((selector, dict(_pairs(body))))
        elif node.type == "at-rule" and node.content is not None:
            # Rules for some screens are applied to all: hiding too much beats too little.
            prelude = tinycss2.serialize(node.prelude).lower()
            if node.lower_at_keyword in ("media", "supports") and "print" not in prelude:
                _collect(tinycss2.parse_rule_list(
                    node.content, skip_comments=True, skip_whitespace=True), rules)


def hides_subtree(d: Declarations) -> bool:
    """True when the declarations hide the element and everything inside it for good."""
    if d.get("display") == "none" or d.get("content-visibility") == "hidden":
        return True
    opacity = _number(d.get("opacity", ""))
    if opacity is not None and opacity[0] <= (5 if opacity[1] == "%" else 0.05):
        return True
    clipped = d.get("overflow", "") + d.get("overflow-x", "") + d.get("overflow-y", "")
    if ("hidden" in clipped or "clip" in clipped) and any(_tiny(d.get(p, "")) for p in _BOX_PROPS):
        return True
    clip = d.get("clip", "").replace(" ", "").replace("px", "")
    if clip in ("rect(0,0,0,0)", "rect(0000)", "rect(1,1,1,1)", "rect(1111)"):
        return True
    clip_path = d.get("clip-path", "")
    if any(form in clip_path for form in ("inset(50%", "inset(100%", "circle(0")):
        return True
    if re.search(r"scale[xy]?\(\s*0*\.?0+\s*[,)]", d.get("transform", "")):
        return True
    return any(_far_off(d.get(p, "")) for p in _OFFSET_PROPS)


def visibility(d: Declarations) -> bool | None:
    """Whether ``visibility`` is set to hidden (True), back to visible (False), or unset."""
    value = d.get("visibility")
    if value in ("hidden", "collapse"):
        return True
    return False if value == "visible" else None


def tiny_font(d: Declarations, inherited: bool) -> bool:
    """Whether text is too small to read, given whether the parent's text was."""
    value = d.get("font-size", "").strip()
    if not value:
        return inherited
    if value in _ABSOLUTE_SIZES:
        return False
    parsed = _number(value)
    if parsed is None:
        return inherited
    number, unit = parsed
    if unit in ("em", "%", "ex", "ch") and inherited:
        return True  # a multiple of nothing is still nothing
    limit = {"px": 1.0, "pt": 1.0, "": 0.0}.get(unit, 0.1)
    return number <= limit


def invisible_ink(d: Declarations, inherited: bool) -> bool:
    """Whether text colour is transparent or the same as its own background."""
    color = d.get("color")
    if color is None:
        return inherited
    if _ZERO_ALPHA.match(color.replace(" ", "")):
        return True
    background = d.get("background-color") or d.get("background")
    return background is not None and background == color


def _number(value: str) -> tuple[float, str] | None:
    match = _NUMBER.match(value.strip())
    return (float(match.group(1)), match.group(2)) if match else None


def _tiny(value: str) -> bool:
    parsed = _number(value)
    return parsed is not None and parsed[0] <= (1 if parsed[1] in ("px", "") else 0)


def _far_off(value: str) -> bool:
    parsed = _number(value)
    if parsed is None:
        return False
    number, unit = parsed
    return number <= (-999 if unit in ("px", "pt", "") else -99)
