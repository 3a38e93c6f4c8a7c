"""Triggers: long-running listeners that turn incoming messages into runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..context import PluginContext

Report = Callable[[str, "str | None"], None]
RunStarter = Callable[["Trigger", Any], Awaitable[Any]]


class Emitter:
    """Handed to :meth:`Trigger.run`: starts runs and reports the trigger's state.

    ``context`` is the trigger's plugin's :class:`jarvis.PluginContext`.
    """

    def __init__(self, context: PluginContext, trigger: Trigger, report: Report,
                 starter: RunStarter | None):
        self.context = context
        self.trigger = trigger
        self._report = report
        self._starter = starter

    async def __call__(self, request: Any) -> Any:
        """Start a run for ``request`` (a :class:`jarvis.TriggerRun`) and return its id."""
        if self._starter is None:
            raise RuntimeError("the runtime is not available to start runs")
        return await self._starter(self.trigger, request)

    def status(self, state: str, detail: str | None = None) -> None:
        """Report the trigger's state (``running``, ``retrying``, ``failed``, ...)."""
        self._report(state, detail)


class Trigger:
    """Base class for triggers. ``run`` should loop until cancelled; if it raises, the core
    logs the error under the plugin's name and restarts it with backoff."""

    name: str = ""
    plugin: str = ""  # set by the registry

    async def run(self, emit: Emitter) -> None:
        raise NotImplementedError
