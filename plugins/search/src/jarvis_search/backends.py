"""Search services behind ``web_search``: each turns a query into hits. SearXNG's JSON API is
the default (self-hostable); another service is one more :class:`Backend` in ``BACKENDS``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from jarvis import OutboundError, ToolContext
from yarl import URL

from .settings import SearchSettings


@dataclass(slots=True)
class Hit:
    title: str
    url: str
    snippet: str = ""
    source: str = ""  # the engine(s) that found it


@dataclass(slots=True)
class Found:
    hits: list[Hit] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    unresponsive: list[str] = field(default_factory=list)


class SearchFailed(Exception):
    """The service could not answer; the message says why in words for the model."""


class Backend:
    """One search service. ``search`` goes out through ``ctx.http`` (the outbound guard)."""

    name: ClassVar[str]

    def __init__(self, settings: SearchSettings):
        self.settings = settings

    async def search(self, query: str, limit: int, ctx: ToolContext) -> Found:
        raise NotImplementedError


class Searxng(Backend):
    """SearXNG's ``/search?format=json`` (the instance must list ``json`` in its
    ``search.formats``; without it SearXNG answers 403)."""

    name = "searxng"

    async def search(self, query: str, limit: int, ctx: ToolContext) -> Found:
        url = URL(self.settings.base_url + "/search").with_query(
            q=query, format="json", language=self.settings.language,
            safesearch=str(self.settings.safesearch), categories="general")
        try:
            got = await ctx.http.fetch(str(url), headers={"Accept": "application/json"},
                                       max_bytes=self.settings.max_bytes, truncate=False)
        except OutboundError as err:
            raise SearchFailed(f"the search service could not be reached: {err}") from None
        if got.status == 403:
            raise SearchFailed("the search service refuses JSON answers (HTTP 403): its admin "
                               "must enable the json format")
        if got.status == 429:
            raise SearchFailed("the search service is rate limiting (HTTP 429); try later")
        if not got.ok:
            raise SearchFailed(f"the search service answered with HTTP status {got.status}")
        try:
            body = got.json()
        except ValueError:
            raise SearchFailed("the search service did not answer with JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise SearchFailed("the search service's answer has no results list")
        return Found(
            hits=[hit for hit in map(_hit, body["results"]) if hit is not None][:limit],
            answers=[_answer(a) for a in _list(body, "answers") if _answer(a)][:3],
            suggestions=[s for s in _list(body, "suggestions") if isinstance(s, str)][:5],
            unresponsive=[str(e[0]) for e in _list(body, "unresponsive_engines")
                          if isinstance(e, list) and e],
        )


BACKENDS: dict[str, type[Backend]] = {Searxng.name: Searxng}


def _list(body: dict[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    return value if isinstance(value, list) else []


def _hit(raw: Any) -> Hit | None:
    if not isinstance(raw, dict):
        return None
    url = raw.get("url")
    if not isinstance(url, str) or URL(url).scheme not in ("http", "https"):
        return None
    engines = raw.get("engines")
    source = ", ".join(e for e in engines if isinstance(e, str)) if isinstance(engines, list) \
        else str(raw.get("engine") or "")
    return Hit(title=str(raw.get("title") or url), url=url,
               snippet=str(raw.get("content") or ""), source=source)


def _answer(raw: Any) -> str:
    # SearXNG gives answers as strings (older versions) or {"answer": ..., "url": ...}
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict) and isinstance(raw.get("answer"), str):
        return raw["answer"]
    return ""
