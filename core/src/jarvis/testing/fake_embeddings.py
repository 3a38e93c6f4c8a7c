"""A fake of the OpenAI embeddings API (``POST /v1/embeddings``) on loopback, with vectors a
test can reason about: each word of the input counts in one of ``dims`` dimensions (by a
stable hash), so texts that share words lie near each other and a search's nearest notes are
known in advance. ``fail_next(status)`` answers the next requests with an OpenAI-style error.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .loopback import LoopbackServer

__all__ = ["EmbeddingRequest", "FakeEmbeddings", "word_vector"]

_WORD = re.compile(r"[a-z0-9]+")
_ERRORS = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
}


def word_vector(text: str, dims: int = 32) -> list[float]:
    """The fake's embedding of ``text``: word counts by hashed dimension (never all zero)."""
    vector = [0.0] * dims
    for word in _WORD.findall(text.lower()):
        vector[zlib.crc32(word.encode()) % dims] += 1.0
    if not any(vector):
        vector[-1] = 1.0
    return vector


@dataclass
class EmbeddingRequest:
    """One request the fake answered: the model, the inputs and the key presented."""

    model: str
    inputs: list[str]
    api_key: str | None


@dataclass
class FakeEmbeddings(LoopbackServer):
    """``POST /v1/embeddings`` checking the API key; ``base_url`` ends in ``/v1``."""

    api_key: str = "test-key"
    dims: int = 32
    secret_in_errors: str = "FAKE-EMBEDDINGS-INTERNAL-DETAIL"  # noqa: S105 - must never reach a user
    requests: list[EmbeddingRequest] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__("127.0.0.1")

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def fail_next(self, *statuses: int) -> None:
        """Answer the next requests with these HTTP errors, one each."""
        self.failures.extend(statuses)

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/embeddings", self._embeddings)
        return app

    def _error(self, status: int, message: str) -> web.Response:
        kind, code = _ERRORS.get(status, ("server_error", None))
        return web.json_response({"error": {"message": f"{message} ({self.secret_in_errors})",
                                            "type": kind, "param": None, "code": code}},
                                 status=status)

    async def _embeddings(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        key = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
        body: dict[str, Any] = await request.json()
        inputs = body.get("input")
        inputs = [inputs] if isinstance(inputs, str) else list(inputs or [])
        self.requests.append(EmbeddingRequest(str(body.get("model")), inputs, key))
        if self.failures:
            return self._error(self.failures.pop(0), "scripted failure")
        if key != self.api_key:
            return self._error(401, "Incorrect API key provided")
        if not inputs or not all(isinstance(i, str) for i in inputs):
            return self._error(400, "'input' must be a string or a list of strings")
        data = [{"object": "embedding", "index": i, "embedding": word_vector(text, self.dims)}
                for i, text in enumerate(inputs)]
        tokens = sum(len(_WORD.findall(t.lower())) for t in inputs)
        return web.json_response({"object": "list", "data": data, "model": body.get("model"),
                                  "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})
