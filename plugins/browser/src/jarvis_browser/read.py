"""What the model gets of a page: the text a reader sees, and the controls it may use.

The page's live document (after its scripts ran) is copied without what the browser does not
show (computed ``display: none``, ``visibility: hidden``, zero opacity, tiny or off-screen
text), then read with :func:`jarvis.strip_hidden_html` and :func:`jarvis.sanitize_text` as any
outside text is; the runtime screens and fences the result as it does every tool's.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from jarvis import sanitize_text, strip_hidden_html

MAX_CONTROLS = 60

_SNAPSHOT = (Path(__file__).parent / "snapshot.js").read_text(encoding="utf-8")


async def snapshot(page: Any) -> dict[str, Any]:
    """The page's title, visible text, controls and how many hidden passages were left out."""
    found = await page.evaluate(_SNAPSHOT, MAX_CONTROLS)
    text = await asyncio.to_thread(_text, found["html"])
    return {"title": sanitize_text(" ".join(found["title"].split()))[:300], "text": text,
            "controls": found["controls"], "hidden": found["hidden"]}


def _text(html: str) -> str:
    lines = (" ".join(line.split()) for line in strip_hidden_html(html).splitlines())
    return sanitize_text("\n".join(line for line in lines if line))


def render(url: str, found: dict[str, Any], max_chars: int, notes: list[str]) -> str:
    """The page as one block of text for the model, within ``max_chars``."""
    head = [f"URL: {url}"]
    if found["title"]:
        head.insert(0, f"Title: {found['title']}")
    text = found["text"] or "(no visible text on this page)"
    notes = list(notes)
    if len(text) > max_chars:
        text = text[:max_chars].rstrip()
        notes.append(f"the text was shortened to {max_chars} characters")
    if found["hidden"]:
        notes.append(f"{found['hidden']} passage(s) hidden from readers of the page were left out")
    parts = ["\n".join(head), text]
    if found["controls"]:
        parts.append("Controls (selector for browser_click, browser_fill, browser_select, "
                     "browser_press):\n" + "\n".join(_control(c) for c in found["controls"]))
    if notes:
        parts.append("Note: " + "; ".join(notes) + ".")
    return "\n\n".join(parts)


def _control(c: dict[str, Any]) -> str:
    kind = c["tag"] if c["tag"] != "input" else f"input {c['type'] or 'text'}"
    line = f"- {kind} {sanitize_text(c['label'])!r}: {c['selector']}"
    if c["href"]:
        line += f" -> {c['href']}"
    if c["options"]:
        line += " options: " + ", ".join(c["options"])
    return line
