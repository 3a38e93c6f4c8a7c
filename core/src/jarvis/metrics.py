"""Prometheus metrics: requests counted by a middleware, the rest read when ``/metrics`` is
scraped (runs and tool calls from the database, so every server process reports the same; the
queue and the triggers from this process).

Each app has its own registry (tests run many apps in one process).
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from sqlalchemy import case, func, select
from sqlmodel import col

from .keys import DATABASE, REGISTRY, RUN_QUEUE, SUPERVISOR
from .models import Run, RunToolCall

__all__ = ["CONTENT_TYPE", "METRICS", "Metrics"]

# The classic text format, which every Prometheus reads (generate_latest writes it).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TRIGGER_STATES = ("starting", "running", "retrying", "stopped", "failed")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        reg = self.registry
        self.requests = Counter("jarvis_http_requests", "HTTP requests answered by this process",
                                ["method", "route", "status"], registry=reg)
        self.runs = Gauge("jarvis_runs", "Runs in the database, by status", ["status"],
                          registry=reg)
        self.tool_calls = Gauge("jarvis_tool_calls", "Tool calls in the database, by tool and "
                                "outcome (ok, failed, denied)", ["tool", "outcome"], registry=reg)
        self.queue_running = Gauge("jarvis_queue_running", "Runs running in this process",
                                   registry=reg)
        self.queue_waiting = Gauge("jarvis_queue_waiting", "Runs waiting for a slot",
                                   registry=reg)
        self.queue_limit = Gauge("jarvis_queue_limit", "Runs that may run at once",
                                 registry=reg)
        self.trigger_state = Gauge("jarvis_trigger_state", "1 for the state a trigger is in",
                                   ["trigger", "plugin", "state"], registry=reg)
        self.trigger_restarts = Gauge("jarvis_trigger_restarts", "Restarts of a trigger",
                                      ["trigger", "plugin"], registry=reg)
        # Answers counted since the last scrape: a dictionary entry per request is cheaper
        # than the counter's lock; a scrape adds them to the counter.
        self._answered: dict[tuple[str, str, int], int] = {}

    def count_request(self, method: str, route: str, status: int) -> None:
        key = (method, route, status)
        self._answered[key] = self._answered.get(key, 0) + 1

    def _add_answered(self) -> None:
        answered, self._answered = self._answered, {}
        for (method, route, status), n in answered.items():
            self.requests.labels(method, route, str(status)).inc(n)

    async def render(self, app: web.Application) -> bytes:
        """The text exposition, with the scrape-time figures read now."""
        self._add_answered()
        async with app[DATABASE].read() as conn:
            runs = (await conn.execute(
                select(col(Run.status), func.count()).group_by(col(Run.status)))).all()
            outcome = case((col(RunToolCall.decision) == "deny", "denied"),
                           (col(RunToolCall.success), "ok"), else_="failed")
            calls = (await conn.execute(
                select(col(RunToolCall.tool_name), outcome, func.count())
                .group_by(col(RunToolCall.tool_name), outcome))).all()
        self.runs.clear()
        for status, n in runs:
            self.runs.labels(status).set(n)
        self.tool_calls.clear()
        for tool, result, n in calls:
            self.tool_calls.labels(tool, result).set(n)
        queue = app[RUN_QUEUE].snapshot()
        self.queue_running.set(queue["running"])
        self.queue_waiting.set(queue["queued"])
        self.queue_limit.set(queue["max_concurrent"])
        self.trigger_state.clear()
        self.trigger_restarts.clear()
        states = app[SUPERVISOR].states
        for trigger in app[REGISTRY].triggers:
            state = states.get(trigger.name)
            plugin = getattr(trigger, "plugin", "") or ""
            current = state.state if state else "stopped"
            for name in TRIGGER_STATES:
                self.trigger_state.labels(trigger.name, plugin, name).set(int(name == current))
            self.trigger_restarts.labels(trigger.name, plugin).set(state.restarts if state else 0)
        return generate_latest(self.registry)


METRICS: web.AppKey[Metrics] = web.AppKey("jarvis_metrics")
