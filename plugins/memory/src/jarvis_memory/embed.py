"""Embeddings through litellm (OpenAI-compatible services, Ollama, ...), normalised to unit
length so that cosine distance is one minus the dot product on every database."""

from __future__ import annotations

import asyncio
import logging
import math
import os
from typing import Any

from jarvis import ToolContext

from .errors import RecallError
from .settings import MemorySettings

log = logging.getLogger("jarvis.memory")
_litellm: Any = None


async def _load() -> Any:
    """Import litellm once, off the loop, without its network look-ups and logging."""
    global _litellm
    if _litellm is None:
        # before the import: otherwise litellm fetches its cost map online
        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        os.environ.setdefault("LITELLM_OFFLINE_MODE", "true")
        module: Any = await asyncio.to_thread(__import__, "litellm")
        module.telemetry = False
        module.suppress_debug_info = True
        module.turn_off_message_logging = True  # the notes are private
        logging.getLogger("LiteLLM").setLevel(logging.ERROR)
        _litellm = module
    return _litellm


def _why(err: Exception, settings: MemorySettings) -> RecallError:
    """The service's failure in words, by its status only: its body stays out."""
    status = getattr(err, "status_code", None)
    service = f"the embedding service ({settings.embedding_model})"
    # litellm gives a lost connection a status (500) of its own: look at what it wraps
    names = " ".join(type(e).__name__ for e in _chain(err))
    if "Timeout" in names:
        return RecallError(f"{service} did not answer within {settings.timeout:g} s")
    if "ConnectionError" in names or "ConnectError" in names:
        return RecallError(f"could not reach {service}")
    if status == 401 or status == 403:
        return RecallError(f"{service} refused the API key (HTTP {status}): an admin must set "
                           f"{settings.api_key_credential or 'the key'}")
    if status == 429:
        return RecallError(f"{service} is rate limiting requests (HTTP 429): try again later")
    if status == 404:
        return RecallError(f"{service} does not know the model (HTTP 404)")
    if isinstance(status, int):
        return RecallError(f"{service} answered with an error (HTTP {status})")
    log.warning("embedding failed: %s", names)
    return RecallError(f"{service} failed ({type(err).__name__})")


def _chain(err: BaseException | None) -> list[BaseException]:
    found: list[BaseException] = []
    while err is not None and len(found) < 10:
        found.append(err)
        err = err.__cause__ or err.__context__
    return found


def normalise(vector: list[float]) -> list[float]:
    """``vector`` at unit length; RecallError for an empty or all-zero one."""
    length = math.sqrt(sum(x * x for x in vector))
    if not vector or length == 0 or not math.isfinite(length):
        raise RecallError("the embedding service returned an unusable vector")
    return [x / length for x in vector]


async def embed(text: str, settings: MemorySettings, ctx: ToolContext) -> list[float]:
    """The unit-length embedding of ``text`` (RecallError on any failure)."""
    litellm = await _load()
    key = await ctx.credentials.get(settings.api_key_credential) \
        if settings.api_key_credential else None
    kwargs: dict[str, Any] = {"model": settings.embedding_model, "input": [text],
                              "timeout": settings.timeout, "max_retries": 0}
    if settings.embedding_base_url:
        kwargs["api_base"] = settings.embedding_base_url
    if key or settings.embedding_model.startswith("openai/"):
        kwargs["api_key"] = key or "unused"  # a local OpenAI-compatible server may want none
    try:
        answer = await litellm.aembedding(**kwargs)
        data = answer.data[0]
        vector = data["embedding"] if isinstance(data, dict) else data.embedding
        return normalise([float(x) for x in vector])
    except RecallError:
        raise
    except Exception as err:  # litellm's exception types: translated by status, body left out
        raise _why(err, settings) from None
