"""Readable text of a fetched page: title, main text and links (trafilatura and lxml).

trafilatura takes most of a second to import, so it is imported on the first page read, not
when the server starts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from jarvis import prune_hidden
from lxml import html as lxml_html

MAX_LINKS = 50
TEXT_TYPES = ("text/plain", "text/markdown", "text/csv", "application/json", "text/xml",
              "application/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class Page:
    """What the model gets to read of a page."""

    title: str = ""
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    hidden: int = 0  # passages hidden from readers that were left out


def readable(body: bytes | str, content_type: str, url: str, visible_only: bool = False) -> Page:
    """The page's title, main text and links; plain text types come back as they are.

    ``visible_only`` leaves out what the page hides from its readers (where injected
    instructions like to sit); the runtime cannot, as it only ever sees the text made here.
    """
    if content_type in HTML_TYPES:
        return _from_html(body, url, visible_only)
    text = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
    return Page(text=text.strip())


def _from_html(body: bytes | str, url: str, visible_only: bool) -> Page:
    import trafilatura

    tree = trafilatura.load_html(body)
    if tree is None:
        return Page()
    hidden = len(prune_hidden(tree)) if visible_only else 0
    page = Page(title=_title(tree), links=_links(tree, url), hidden=hidden)
    main = trafilatura.extract(
        copy.deepcopy(tree), url=url, output_format="markdown", include_links=True,
        include_formatting=True, include_tables=True, include_comments=False, favor_recall=True,
    )
    page.text = (main or trafilatura.html2txt(tree) or "").strip()
    return page


def _title(tree: lxml_html.HtmlElement) -> str:
    title = " ".join((tree.findtext(".//title") or "").split())
    if not title:
        from trafilatura.metadata import extract_metadata

        meta = extract_metadata(tree)
        title = (meta.title if meta is not None else "") or ""
    return title[:300]


def _links(tree: lxml_html.HtmlElement, base: str) -> list[tuple[str, str]]:
    seen: set[str] = set()
    found: list[tuple[str, str]] = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        target = urljoin(base, href)
        if urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        seen.add(target)
        label = " ".join(anchor.text_content().split())[:120]
        found.append((label or target, target))
        if len(found) >= MAX_LINKS:
            break
    return found


def render(page: Page, url: str, max_chars: int, truncated: bool) -> str:
    """The page as one block of text for the model, within ``max_chars``."""
    head = [f"URL: {url}"]
    if page.title:
        head.insert(0, f"Title: {page.title}")
    text = page.text or "(no readable text on this page)"
    cut = len(text) > max_chars
    if cut:
        text = text[:max_chars].rstrip()
    notes = []
    if truncated:
        notes.append("the page was larger than the download limit; only its beginning was read")
    if cut:
        notes.append(f"the text was shortened to {max_chars} characters")
    if page.hidden:
        notes.append(f"{page.hidden} passage(s) hidden from readers of the page were left out")
    parts = ["\n".join(head), text]
    if page.links:
        parts.append("Links:\n" + "\n".join(f"- {label}: {href}" for label, href in page.links))
    if notes:
        parts.append("Note: " + "; ".join(notes) + ".")
    return "\n\n".join(parts)
