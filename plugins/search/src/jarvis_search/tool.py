"""The ``web_search`` tool: a query to the admin's search service, the hits as untrusted text."""

from __future__ import annotations

from jarvis import Tool, ToolContext, ToolResult, sanitize_text
from pydantic import BaseModel, Field

from .backends import BACKENDS, Found, SearchFailed
from .settings import SearchSettings


class SearchInput(BaseModel):
    query: str = Field(min_length=1, max_length=400, description="What to search the web for")
    max_results: int | None = Field(None, ge=1, le=30,
                                    description="At most this many results (optional)")


class WebSearch(Tool):
    name = "web_search"
    group = "search"
    description = ("Search the web and return the results: title, address and a snippet each. "
                   "Read a result with web_fetch (or the browser).")
    Input = SearchInput
    reads_untrusted = True  # titles and snippets are written by whoever made the pages

    def __init__(self, settings: SearchSettings):
        self.settings = settings
        self.backend = BACKENDS[settings.backend](settings)

    def describe(self, args: SearchInput) -> str:
        return f"search the web for {args.query!r}"

    async def run(self, args: SearchInput, ctx: ToolContext) -> ToolResult:
        if not self.settings.base_url:
            return ToolResult.failure("web search is not set up: the admin sets "
                                      "plugins.search.base_url")
        limit = min(args.max_results or self.settings.max_results, self.settings.max_results)
        try:
            found = await self.backend.search(args.query, limit, ctx)
        except SearchFailed as err:
            return ToolResult.failure(str(err))
        return ToolResult(content=render(args.query, found),
                          summary=f"searched for {args.query!r}: {len(found.hits)} result(s)")


def render(query: str, found: Found) -> str:
    """The results as one block of text, every piece from outside sanitized."""
    lines = [f"Results for {query!r}:"]
    if not found.hits:
        lines.append("(no results)")
    for n, hit in enumerate(found.hits, 1):
        lines.append(f"{n}. {_clean(hit.title, 200)}\n   {hit.url}")
        if hit.snippet:
            lines.append(f"   {_clean(hit.snippet, 500)}")
    if found.answers:
        lines.append("Answers: " + " | ".join(_clean(a, 300) for a in found.answers))
    if found.suggestions:
        lines.append("Related searches: " + ", ".join(_clean(s, 100) for s in found.suggestions))
    if found.unresponsive:
        lines.append("Note: these engines did not answer: " + ", ".join(
            _clean(e, 40) for e in found.unresponsive) + ".")
    return "\n".join(lines)


def _clean(text: str, limit: int) -> str:
    return " ".join(sanitize_text(text).split())[:limit]
