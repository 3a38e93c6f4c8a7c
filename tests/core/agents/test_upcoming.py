"""The next fire time shown in listings is remembered until it passes, and always right."""

from __future__ import annotations

from datetime import datetime, timedelta

from jarvis.cron import next_fire, upcoming


def test_upcoming_equals_next_fire_across_a_fire_time():
    start = datetime(2026, 1, 5, 6, 58, 30)
    for step in range(0, 400, 7):  # minutes, crossing several fire times
        now = start + timedelta(minutes=step)
        for expr in ("0 8 * * *", "*/15 * * * *", "30 7 * * 1-5"):
            assert upcoming(expr, "Europe/Berlin", now) == next_fire(expr, "Europe/Berlin", now)


def test_an_earlier_moment_is_not_answered_from_a_later_one():
    later = datetime(2026, 1, 5, 12, 0)
    earlier = datetime(2026, 1, 5, 6, 0)
    assert upcoming("0 8 * * *", "UTC", later) == datetime(2026, 1, 6, 8, 0)
    assert upcoming("0 8 * * *", "UTC", earlier) == datetime(2026, 1, 5, 8, 0)
