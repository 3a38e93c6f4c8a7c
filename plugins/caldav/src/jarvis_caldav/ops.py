"""The calendar operations, run in the caldav thread (blocking calls on a caldav Calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .errors import CaldavError
from .events import EventView, change, moved, view_of
from .service import name_of
from .times import When

# The server is asked for a day more on each side: servers read all-day and floating events
# in their own zone; the exact range is applied here, in the user's.
_MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Found:
    """Events of a range, earliest first, cut at the limit; ``total`` counts them all."""

    calendar: str
    events: list[EventView]
    total: int


def find(calendar: Any, low: datetime, high: datetime, zone: ZoneInfo, limit: int) -> Found:
    """The events (recurring ones as occurrences) that overlap [low, high)."""
    hits = calendar.search(start=low - _MARGIN, end=high + _MARGIN, event=True, expand=True)
    views = []
    for hit in hits:
        try:
            view = view_of(hit.get_icalendar_component(), zone)
        except (ValueError, KeyError, TypeError):
            continue  # an event without a usable start cannot be placed in a range
        if view.overlaps(low, high, zone):
            views.append(view)
    views.sort(key=lambda v: (v.bounds(zone)[0], v.summary))
    return Found(name_of(calendar), views[:limit], len(views))


def _event(calendar: Any, uid: str) -> Any:
    from caldav.lib import error as dav_error

    try:
        return calendar.get_event_by_uid(uid)
    except dav_error.NotFoundError:
        raise CaldavError(f"there is no event with uid {uid!r} in the calendar "
                          f"{name_of(calendar)!r}") from None


def fetch(calendar: Any, uid: str, zone: ZoneInfo) -> EventView:
    """One event by its UID (a recurring one as its series)."""
    return view_of(_event(calendar, uid).get_icalendar_component(), zone)


def create(calendar: Any, text: str) -> str:
    """Store a new VCALENDAR; returns the calendar's name."""
    calendar.add_event(text, no_overwrite=True)
    return name_of(calendar)


@dataclass(frozen=True, slots=True)
class Changes:
    """What caldav_update_event changes (None: unchanged; "" clears location or description)."""

    summary: str | None = None
    start: When | None = None
    end: When | None = None
    location: str | None = None
    description: str | None = None


def update(calendar: Any, uid: str, changes: Changes, zone: ZoneInfo) -> EventView:
    """Change one event (a whole series for a recurring one); returns it as now stored."""
    event = _event(calendar, uid)
    with event.edit_icalendar_component() as component:
        start, end = moved(view_of(component, zone), changes.start, changes.end)
        change(component, summary=changes.summary, start=start, end=end,
               location=changes.location, description=changes.description)
        result = view_of(component, zone)
    event.save()
    return result


def delete(calendar: Any, uid: str) -> None:
    """Delete one event (a whole series for a recurring one)."""
    _event(calendar, uid).delete()
