"""Scheduler settings [admin]: how late a missed fire may still run (``grace_seconds``)."""

from __future__ import annotations

from ..routes.settings import serve_section
from ..web import Routes
from .scheduler import SchedulerSettings

routes = Routes("settings")

serve_section(routes, "/api/settings/scheduler", "scheduler", SchedulerSettings,
              shows="How late a missed scheduled fire may still run",
              changes="Change the grace period of missed scheduled fires",
              update_name="SchedulerUpdate")
