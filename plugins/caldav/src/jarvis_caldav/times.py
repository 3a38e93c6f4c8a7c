"""Dates and times as the user writes them, read in the user's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from jarvis import PluginContext

When = date | datetime  # a date (all day) or an aware date and time

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMAT_HINT = ("a date like 2026-05-04, or a date and time like 2026-05-04T09:30 (your time "
               "zone), optionally with an offset like +02:00 or Z")


def user_zone(context: PluginContext) -> ZoneInfo:
    """The zone times are shown in: the admin's general.time_zone, else the server's setting."""
    return ZoneInfo(context.time_zone)


def parse_when(text: str, zone: ZoneInfo) -> When:
    """A date, or a date and time made aware in ``zone`` unless it carries an offset."""
    text = text.strip()
    try:
        if _DATE.match(text):
            return date.fromisoformat(text)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"must be {FORMAT_HINT}") from None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def check_when(text: str | None) -> str | None:
    """A pydantic validator: the text must parse (the zone is applied when the tool runs)."""
    if text is not None:
        parse_when(text, ZoneInfo("UTC"))
    return text


def is_day(value: When) -> bool:
    """True for a bare date (an all-day value), False for a date and time."""
    return not isinstance(value, datetime)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of ``day`` in ``zone``."""
    return datetime.combine(day, time(), zone)


def span(start: When, end: When | None, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The range [from, to) a listing covers; a bare end date counts as a whole day."""
    low = start if isinstance(start, datetime) else midnight(start, zone)
    high: datetime
    if end is None:
        high = (low + timedelta(days=1) if isinstance(start, datetime)
                else midnight(start + timedelta(days=1), zone))
    elif isinstance(end, datetime):
        high = end
    else:
        high = midnight(end + timedelta(days=1), zone)
    return low, high


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC (what new and changed events store)."""
    return value.astimezone(UTC)


def show_day(day: date) -> str:
    return f"{day:%Y-%m-%d} ({day:%a})"


def show_moment(value: datetime, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{show_day(local.date())} {local:%H:%M}"
