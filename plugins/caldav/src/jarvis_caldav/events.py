"""Calendar events as the tools see them: read from, and written to, iCalendar components."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .times import When, as_utc, is_day, midnight, show_day, show_moment

PRODID = "-//Jarvis//jarvis-caldav//EN"
DEFAULT_LENGTH = timedelta(hours=1)  # a new timed event without an end
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class EventView:
    """One event (or one occurrence of a recurring one); ``end`` is exclusive."""

    uid: str
    summary: str
    start: When
    end: When
    location: str = ""
    description: str = ""
    recurring: bool = False

    @property
    def all_day(self) -> bool:
        return is_day(self.start)

    @property
    def length(self) -> timedelta:
        """How long it lasts (whole days for an all-day event)."""
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.end - self.start
        return timedelta(days=self.end.toordinal() - self.start.toordinal())

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Start and end as aware moments; all-day events span whole days in ``zone``."""
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return self.start, self.end
        return midnight(self.start, zone), midnight(self.end, zone)

    def overlaps(self, low: datetime, high: datetime, zone: ZoneInfo) -> bool:
        """True when the event falls (at least partly) within [low, high)."""
        start, end = self.bounds(zone)
        if start == end:
            return low <= start < high
        return start < high and end > low

    def when(self, zone: ZoneInfo) -> str:
        """The event's dates and times in ``zone``, as one short phrase."""
        if self.all_day:
            last = self.end - ONE_DAY if self.end > self.start else self.start
            if last == self.start:
                return f"{show_day(self.start)}, all day"
            return f"{show_day(self.start)} – {show_day(last)}, all day"
        start, end = (moment.astimezone(zone) for moment in self.bounds(zone))
        if start == end:
            return show_moment(start, zone)
        if start.date() == end.date():
            return f"{show_moment(start, zone)}–{end:%H:%M}"
        return f"{show_moment(start, zone)} – {show_moment(end, zone)}"


def _value(component: Any, name: str) -> Any:
    prop = component.get(name)
    return None if prop is None else prop.dt


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    return "" if value is None else str(value)


def view_of(component: Any, zone: ZoneInfo) -> EventView:
    """Read a VEVENT; floating times are taken as ``zone``'s, a missing end as the usual one."""
    start = _value(component, "dtstart")
    if start is None:
        raise ValueError("the event has no start")
    if isinstance(start, datetime) and start.tzinfo is None:
        start = start.replace(tzinfo=zone)
    end = _value(component, "dtend")
    if end is None and component.get("duration") is not None:
        end = start + component["duration"].dt
    if isinstance(end, datetime) and end.tzinfo is None:
        end = end.replace(tzinfo=zone)
    if end is None or is_day(end) != is_day(start) or end < start:
        end = start + ONE_DAY if is_day(start) else start
    return EventView(
        uid=_text(component, "uid"), summary=_text(component, "summary") or "(no title)",
        start=start, end=end, location=_text(component, "location"),
        description=_text(component, "description"),
        recurring=component.get("rrule") is not None or component.get("recurrence-id") is not None,
    )


def details(view: EventView, zone: ZoneInfo) -> str:
    """Every field of one event, a line each (for caldav_get_event)."""
    lines = [f"Summary: {view.summary}", f"When: {view.when(zone)} ({zone.key})"]
    if view.location:
        lines.append(f"Location: {view.location}")
    if view.recurring:
        lines.append("Repeats: yes (changes and deletion apply to the whole series)")
    lines.append(f"UID: {view.uid}")
    if view.description:
        lines.append(f"Description:\n{view.description}")
    return "\n".join(lines)


def closing(start: When, end: When | None) -> When:
    """The exclusive end for a start and the end the user gave (a last day, or a moment)."""
    if end is None:
        return start + (ONE_DAY if is_day(start) else DEFAULT_LENGTH)
    if is_day(start) != is_day(end):
        kind = "a date (like start)" if is_day(start) else "a date and time (like start)"
        raise ValueError(f"end: must be {kind}")
    if is_day(start):
        if end < start:
            raise ValueError("end: the last day must not be before the start")
        return end + ONE_DAY
    if end <= start:
        raise ValueError("end: must be after the start")
    return end


def _set_times(component: Any, start: When, end: When) -> None:
    for name in ("dtstart", "dtend", "duration"):
        component.pop(name, None)
    if isinstance(start, datetime) and isinstance(end, datetime):
        component.add("dtstart", as_utc(start))
        component.add("dtend", as_utc(end))
    else:
        component.add("dtstart", start)
        component.add("dtend", end)


def _set_text(component: Any, name: str, value: str | None) -> None:
    if value is None:
        return
    component.pop(name, None)
    if value:
        component.add(name, value)


def new_calendar(summary: str, start: When, end: When, location: str | None,
                 description: str | None) -> tuple[str, str]:
    """A VCALENDAR with one new VEVENT; returns its UID and its text."""
    import icalendar  # when the first event is written

    uid = f"{uuid.uuid4()}@jarvis"
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    _set_text(event, "summary", summary)
    _set_times(event, start, end)
    _set_text(event, "location", location)
    _set_text(event, "description", description)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return uid, calendar.to_ical().decode()


def change(component: Any, *, summary: str | None, start: When, end: When,
           location: str | None, description: str | None) -> None:
    """Apply the changes to a VEVENT in place (None leaves a field, "" clears it)."""
    _set_text(component, "summary", summary)
    _set_times(component, start, end)
    _set_text(component, "location", location)
    _set_text(component, "description", description)
    component.pop("dtstamp", None)
    component.add("dtstamp", datetime.now(UTC))


def moved(view: EventView, start: When | None, end: When | None) -> tuple[When, When]:
    """The new start and exclusive end of an event: a new start alone keeps the length."""
    new_start = view.start if start is None else start
    if end is not None:
        return new_start, closing(new_start, end)
    if start is None:
        return new_start, view.end
    if is_day(start) == view.all_day:
        return new_start, new_start + view.length
    return new_start, closing(new_start, None)
