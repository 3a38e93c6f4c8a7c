"""The text a reader sees on an HTML page, with everything hidden from them left out."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from cssselect import ExpressionError, HTMLTranslator, SelectorError
from lxml import etree
from lxml import html as lxml_html

from . import css

# Never rendered as text (or, like <select>'s siblings, not text at all).
_NEVER_SHOWN = {
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object",
    "embed", "applet", "audio", "video", "canvas", "datalist", "meta", "link", "base",
    "param", "source", "track", "desc", "metadata",
}  # fmt: skip
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "title",
    "tr", "ul",
}  # fmt: skip
_CELLS = {"td", "th"}
_PRESERVE = {"pre", "textarea", "listing", "plaintext"}
# Utility classes of common CSS frameworks whose stylesheets we never see.
_HIDING_CLASSES = {"sr-only", "visually-hidden", "screen-reader-text", "d-none", "hidden",
                   "invisible", "hide", "is-hidden"}  # fmt: skip
_RESPONSIVE = re.compile(r"^([a-z0-9]+:|d-(sm|md|lg|xl|xxl)-)")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True, slots=True)
class _State:
    hidden_visibility: bool = False
    tiny: bool = False
    ink: bool = False
    pre: bool = False

    @property
    def shows_text(self) -> bool:
        return not (self.hidden_visibility or self.tiny or self.ink)


@dataclass
class _Writer:
    lines: list[tuple[str, bool]] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    current_pre: bool = False

    # Pieces of ``current`` not in a <pre>: their spaces collapse. Done once a line ends, and
    # only if the line also holds <pre> text (else the line's own collapse does it).
    loose: list[int] = field(default_factory=list)

    def text(self, value: str, pre: bool) -> None:
        if not pre:
            self.loose.append(len(self.current))
            self.current.append(value)
            return
        first, *rest = value.split("\n")
        self.current.append(first)
        self.current_pre = True
        for line in rest:
            self.end_line()
            self.current.append(line)
            self.current_pre = True

    def end_line(self) -> None:
        if self.current:
            if self.current_pre:
                for i in self.loose:
                    self.current[i] = _HTML_SPACE.sub(" ", self.current[i])
            self.lines.append(("".join(self.current), self.current_pre))
        self.current, self.current_pre, self.loose = [], False, []

    def result(self) -> str:
        self.end_line()
        shown = [ln.rstrip() if pre else " ".join(ln.split()) for ln, pre in self.lines]
        return "\n".join(line for line in shown if line.strip())


def visible_text(html: str) -> tuple[str, list[str]]:
    """The visible text of ``html`` and the texts of the elements removed as hidden."""
    if not html.strip():
        return "", []
    # Bytes with a fixed encoding: lxml refuses str input that declares an encoding itself.
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return "", []
    sheet = _sheet_declarations(root)
    writer = _Writer()
    hidden: list[str] = []
    _walk(root, _State(), sheet, writer, hidden)
    return writer.result(), hidden


def strip_hidden_html(html: str) -> str:
    """The text of ``html`` a reader sees: no comments, scripts or hidden elements."""
    return visible_text(html)[0]


def prune_hidden(root: etree._Element) -> list[str]:
    """Remove from a parsed page, in place, what a reader never sees (comments, scripts,
    hidden elements, hidden text); return the texts removed as hidden.

    For tools that turn pages into text their own way: what is left holds no hidden text.
    """
    hidden: list[str] = []
    _prune(root, _State(), _sheet_declarations(root), hidden)
    return hidden


def _walk(
    element: etree._Element,
    parent: _State,
    sheet: dict[etree._Element, css.Declarations],
    writer: _Writer,
    hidden: list[str],
) -> None:
    declarations = _declarations_of(element, sheet)
    if _hidden_for_good(element, declarations):
        if isinstance(element.tag, str) and element.tag.lower() not in _NEVER_SHOWN:
            _remember(element, hidden)
        return
    tag = _tag(element)
    state = _state_of(tag, parent, declarations)
    if not state.shows_text and parent.shows_text:
        _remember(element, hidden)
    block = tag in _BLOCKS
    if block or tag == "br":
        writer.end_line()
    if tag in _CELLS:
        writer.text(" ", False)
    if element.text and state.shows_text:
        writer.text(element.text, state.pre)
    for child in element:
        _walk(child, state, sheet, writer, hidden)
        if child.tail and state.shows_text:
            writer.text(child.tail, state.pre)
    if block:
        writer.end_line()
    elif tag in _CELLS:
        writer.text(" ", False)


def _declarations_of(element: etree._Element,
                     sheet: dict[etree._Element, css.Declarations]) -> css.Declarations:
    """The element's declarations that can hide text: its style sheets' rules, then its own
    ``style`` (read only: the result may be shared)."""
    style = element.get("style")
    own = _style(style) if style else _NONE
    from_sheet = sheet.get(element) if sheet else None
    return {**from_sheet, **own} if from_sheet else own


_NONE: css.Declarations = {}


@functools.lru_cache(maxsize=1024)
def _style(style: str) -> css.Declarations:
    return _relevant(css.parse_declarations(style))


def _relevant(declarations: css.Declarations) -> css.Declarations:
    return {k: v for k, v in declarations.items() if k in css.READ}


def _tag(element: etree._Element) -> str:
    # a comment's or processing instruction's tag is not a name
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _state_of(tag: str, parent: _State, declarations: css.Declarations) -> _State:
    pre = parent.pre or tag in _PRESERVE
    if not declarations and pre == parent.pre:
        return parent  # nothing set here: the element shows text as its parent does
    hiding = css.visibility(declarations)
    return _State(
        hidden_visibility=parent.hidden_visibility if hiding is None else hiding,
        tiny=css.tiny_font(declarations, parent.tiny),
        ink=css.invisible_ink(declarations, parent.ink),
        pre=pre,
    )


def _prune(
    element: etree._Element,
    state: _State,
    sheet: dict[etree._Element, css.Declarations],
    hidden: list[str],
) -> None:
    """The pruning twin of :func:`_walk`: ``state`` is the element's own."""
    if not state.shows_text:
        element.text = None
    for child in list(element):
        if not state.shows_text:
            child.tail = None  # a tail is text of the element around it
        declarations = _declarations_of(child, sheet) if isinstance(child.tag, str) else {}
        if _hidden_for_good(child, declarations):
            if isinstance(child.tag, str) and child.tag.lower() not in _NEVER_SHOWN:
                _remember(child, hidden)
            _drop(child)
            continue
        inner = _state_of(_tag(child), state, declarations)
        if not inner.shows_text and state.shows_text:
            _remember(child, hidden)
        _prune(child, inner, sheet, hidden)


def _drop(element: etree._Element) -> None:
    """Remove ``element`` and what is inside it, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _hidden_for_good(element: etree._Element, declarations: css.Declarations) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions
    tag = element.tag.lower()
    if tag in _NEVER_SHOWN:
        return True
    if not element.attrib:
        return tag == "dialog" or (bool(declarations) and css.hides_subtree(declarations))
    if element.get("hidden") is not None or element.get("aria-hidden", "").lower() == "true":
        return True
    if tag == "dialog" and element.get("open") is None:
        return True
    classes = element.get("class", "").lower().split()
    if _HIDING_CLASSES.intersection(classes) and not any(_RESPONSIVE.match(c) for c in classes):
        return True
    return bool(declarations) and css.hides_subtree(declarations)


def _sheet_declarations(root: etree._Element) -> dict[etree._Element, css.Declarations]:
    """Declarations from <style> blocks, per element; a hiding value wins over a showing one."""
    translator = HTMLTranslator()
    matched: dict[etree._Element, css.Declarations] = {}
    for style in root.iter("style"):
        for selectors, every in css.parse_rules(style.text or ""):
            declarations = _relevant(every)
            if not declarations:
                continue
            try:
                path = translator.css_to_xpath(selectors)
                elements = root.xpath(path)
            except (SelectorError, ExpressionError, etree.XPathError):
                continue
            for element in elements:
                merged = matched.setdefault(element, {})
                for name, value in declarations.items():
                    if name not in merged or not _hides({name: merged[name]}):
                        merged[name] = value
    return matched


def _hides(declaration: css.Declarations) -> bool:
    return (
        css.hides_subtree(declaration)
        or css.visibility(declaration) is True
        or css.tiny_font(declaration, False)
        or css.invisible_ink(declaration, False)
    )


def _remember(element: etree._Element, hidden: list[str]) -> None:
    try:
        text = (" ".join(element.text_content().split())
                if isinstance(element, lxml_html.HtmlElement) else "")
    except (AttributeError, ValueError):
        text = ""
    if text:
        hidden.append(text)
