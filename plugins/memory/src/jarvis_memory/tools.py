"""memory_capture, memory_search, memory_recent, memory_stats: the user's own second brain.

Every tool acts on the calling user's notes only (``ctx.user``); they are also served to the
user's MCP clients (``served_over_mcp``)."""

from __future__ import annotations

from datetime import datetime

from jarvis import Tool, ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from . import store
from .embed import embed
from .errors import RecallError
from .settings import MemorySettings

BACKEND = "backend"  # in the plugin's context.state: the vector search in use
MAX_NOTE = 8000
MAX_HITS = 20
MAX_PAGE = 50


class CaptureInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_NOTE, description="what to remember")


class SearchInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000, description="what to look for, in words")
    limit: int = Field(5, ge=1, le=MAX_HITS, description="at most this many notes")


class RecentInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(10, ge=1, le=MAX_PAGE, description="at most this many notes")
    offset: int = Field(0, ge=0, le=1_000_000, description="skip this many of the newest")


class StatsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _MemoryTool(Tool):
    group = "memory"
    served_over_mcp = True
    failures = (RecallError,)  # the embedding service failed: the user is told why
    settings: MemorySettings


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _lines(notes: list[store.Note]) -> list[str]:
    return [f"- [{n.id}] {_when(n.created_at)}"
            + (f" (similarity {n.score:.2f})" if n.score is not None else "")
            + f": {n.content}" for n in notes]


class MemoryCapture(_MemoryTool):
    name = "memory_capture"
    description = ("Remember a note for the user (a fact, an idea, something to find again "
                   "later by its meaning). Only this user can ever read it.")
    Input = CaptureInput
    side_effect = True  # after outside content, a note could carry it into later runs

    def describe(self, args: CaptureInput) -> str:
        return f"remember: {args.text[:200]!r}"

    async def run(self, args: CaptureInput, ctx: ToolContext) -> ToolResult:
        vector = await embed(args.text, self.settings, ctx)
        note = await store.capture(ctx.db, ctx.user.id, args.text,
                                   self.settings.embedding_model, vector)
        return ToolResult(content=f"Remembered as {note.id}.", summary=f"remembered {note.id}")


class MemorySearch(_MemoryTool):
    name = "memory_search"
    description = ("Search the user's remembered notes by meaning (not only by words); the "
                   "nearest first, with their similarity (1 is the same meaning).")
    Input = SearchInput
    reads_untrusted = True  # notes may hold text that came from outside

    def describe(self, args: SearchInput) -> str:
        return f"search your memory for {args.query!r}"

    async def run(self, args: SearchInput, ctx: ToolContext) -> ToolResult:
        vector = await embed(args.query, self.settings, ctx)
        hits = await store.search(ctx.db, ctx.context.state[BACKEND], ctx.user.id,
                                  self.settings.embedding_model, vector, args.limit)
        if not hits:
            return ToolResult(content="Nothing remembered matches.", summary="no notes")
        return ToolResult(content="\n".join([f"{len(hits)} note(s), nearest first:",
                                             *_lines(hits)]),
                          summary=f"{len(hits)} note(s)")


class MemoryRecent(_MemoryTool):
    name = "memory_recent"
    description = "Browse the user's remembered notes, newest first (page with offset)."
    Input = RecentInput
    reads_untrusted = True

    def describe(self, args: RecentInput) -> str:
        return "list your recent notes"

    async def run(self, args: RecentInput, ctx: ToolContext) -> ToolResult:
        notes, total = await store.recent(ctx.db, ctx.user.id, args.limit, args.offset)
        if not notes:
            return ToolResult(content=f"No notes here ({total} remembered in all).",
                              summary="no notes")
        head = (f"Notes {args.offset + 1}-{args.offset + len(notes)} of {total}, "
                "newest first:")
        return ToolResult(content="\n".join([head, *_lines(notes)]),
                          summary=f"{len(notes)} of {total} note(s)")


class MemoryStats(_MemoryTool):
    name = "memory_stats"
    description = "How many notes the user has remembered, since when, and their size."
    Input = StatsInput

    def describe(self, args: StatsInput) -> str:
        return "count your notes"

    async def run(self, args: StatsInput, ctx: ToolContext) -> ToolResult:
        found = await store.stats(ctx.db, ctx.user.id)
        if not found.count or found.first is None or found.last is None:
            return ToolResult(content="No notes remembered yet.", summary="0 notes")
        models = ", ".join(f"{m} ({n})" for m, n in found.models.items())
        return ToolResult(
            content=(f"{found.count} note(s), {found.characters} characters, from "
                     f"{_when(found.first)} to {_when(found.last)}; embedding models: {models}."
                     + ("" if self.settings.embedding_model in found.models else
                        f" Notes of other models are not found by search with "
                        f"{self.settings.embedding_model}.")),
            summary=f"{found.count} note(s)")
