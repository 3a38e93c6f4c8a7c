"""Just enough CSS to tell whether declarations hide an element from a reader."""

from __future__ import annotations

import re

Declarations = dict[str, str]

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_NUMBER = re.compile(r"^(-?(?:\d+\.?\d*|\.\d+))([a-z%]*)$")
_ZERO_ALPHA = re.compile(
    r"^(transparent|rgba?\([^)]*[,/]\s*0*\.?0+%?\s*\)|hsla?\([^)]*[,/]\s*0*\.?0+%?\s*\)|"
    r"#[0-9a-f]{6}00|#[0-9a-f]{3}0)$"
)
_ABSOLUTE_SIZES = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large"}
_OFFSET_PROPS = ("left", "top", "right", "text-indent", "margin-left", "margin-top")
_BOX_PROPS = ("width", "height", "max-width", "max-height")
_MAX_RULES = 2000


def parse_declarations(style: str) -> Declarations:
    """Parse ``prop: value; ...`` into lower-case pairs, dropping ``!important``."""
    found: Declarations = {}
    for part in _COMMENT.sub("", style).split(";"):
        name, sep, value = part.partition(":")
        if sep:
            value = value.strip().lower().removesuffix("!important").strip()
            found[name.strip().lower()] = " ".join(value.split())
    return found


def parse_rules(css: str) -> list[tuple[str, Declarations]]:
    """Top-level and @media/@supports rules as (selector list, declarations)."""
    css = _COMMENT.sub("", css)
    rules: list[tuple[str, Declarations]] = []
    position = 0
    while len(rules) < _MAX_RULES:
        opening = css.find("{", position)
        if opening < 0:
            break
        closing, depth = opening + 1, 1
        while closing < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[closing], 0)
            closing += 1
        # A statement such as @import ...; may precede the selector.
        prelude = css[position:opening].rsplit(";", 1)[-1].strip()
        body = css[opening + 1 : closing - 1]
        if prelude.startswith("@"):
            # Rules for some screens are applied to all: hiding too much beats too little.
            if prelude.startswith(("@media", "@supports")) and "print" not in prelude:
                rules += parse_rules(body)
        elif prelude:
            rules.append((prelude, parse_declarations(body)))
        position = closing
    return rules


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
