"""Triggers: long-running listeners that turn incoming messages into runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from aiohttp import web


class Emitter(Protocol):
    """What a trigger gets to start runs and report its state."""

    app: web.Application

    async def __call__(self, request: Any) -> Any: ...

    def status(self, state: str, detail: str | None = None) -> None: ...


class Trigger:
    """Base class for triggers. ``run`` should loop until cancelled; if it raises, the core
    logs the error under the plugin's name and restarts it with backoff."""

    name: str = ""
    plugin: str = ""  # set by the registry

    async def run(self, emit: Emitter) -> None:
        raise NotImplementedError
