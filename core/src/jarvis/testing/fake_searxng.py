"""A loopback stand-in for a SearXNG instance's search API, with its JSON shape and refusals:
403 when the instance does not offer ``format=json``, 429 from its rate limiter, 400 without
a query."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .loopback import LoopbackServer


def result(url: str, title: str, content: str = "", engines: Iterable[str] = ("duckduckgo",),
           **more: Any) -> dict[str, Any]:
    """One entry of ``results`` as SearXNG writes it."""
    found = list(engines)
    return {"url": url, "title": title, "content": content, "engine": found[0],
            "parsed_url": list(_parts(url)), "template": "default.html", "engines": found,
            "positions": [1], "score": 1.0, "category": "general", "publishedDate": None,
            "thumbnail": "", "priority": "", **more}


def _parts(url: str) -> tuple[str, ...]:
    from urllib.parse import urlsplit

    p = urlsplit(url)
    return (p.scheme, p.netloc, p.path, "", p.query, p.fragment)


class FakeSearxng(LoopbackServer):
    """Serves ``GET``/``POST /search`` on 127.0.0.1; ``results`` is what every query finds."""

    def __init__(self, *, formats: Iterable[str] = ("html", "json"),
                 rate_limit: int | None = None) -> None:
        super().__init__()
        self.formats = set(formats)
        self.rate_limit = rate_limit  # queries answered before the limiter says 429
        self.results: list[dict[str, Any]] = []
        self.answers: list[Any] = []
        self.suggestions: list[str] = []
        self.unresponsive: list[list[str]] = []
        self.queries: list[dict[str, str]] = []  # every request's parameters, in order
        self.body: str | None = None  # answer with exactly this (an instance gone wrong)

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("GET", "/search", self._search)
        app.router.add_route("POST", "/search", self._search)
        return app

    async def _search(self, request: web.Request) -> web.Response:
        params = dict(request.query)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.post()).items()})
        self.queries.append(params)
        output = params.get("format", "html")
        if output not in self.formats:
            return web.Response(status=403, text="<html><body><h1>Forbidden</h1></body></html>",
                                content_type="text/html")
        if self.rate_limit is not None and len(self.queries) > self.rate_limit:
            return web.Response(status=429, text="Too Many Requests", content_type="text/plain")
        if self.body is not None:
            return web.Response(text=self.body, content_type="application/json")
        query = params.get("q", "").strip()
        if not query:
            return web.Response(status=400, text=json.dumps({"error": "No query"}),
                                content_type="application/json")
        return web.json_response({
            "query": query, "number_of_results": 0, "results": self.results,
            "answers": self.answers, "corrections": [], "infoboxes": [],
            "suggestions": self.suggestions, "unresponsive_engines": self.unresponsive,
        })
