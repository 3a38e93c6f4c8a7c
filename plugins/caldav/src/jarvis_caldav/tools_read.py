"""caldav_list_events and caldav_get_event: reading the user's calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from jarvis import ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from . import ops
from .context import CalendarTool
from .events import details
from .inputs import Uid, WhenText
from .times import parse_when, show_moment, span, user_zone

MAX_EVENTS = 100
MAX_SPAN = timedelta(days=366)


class ListInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: WhenText | None = Field(None, description="first day, or a moment (default: today)")
    end: WhenText | None = Field(
        None, description="last day (included), or a moment (excluded); default: one day "
                          "after start")
    limit: int = Field(MAX_EVENTS, ge=1, le=MAX_EVENTS, description="at most this many events")


class GetInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uid: Uid


class CaldavListEvents(CalendarTool):
    name = "caldav_list_events"
    description = ("List the events in the user's calendar between two dates, earliest first "
                   "(at most 100), with times in the user's time zone and each event's UID.")
    Input = ListInput
    reads_untrusted = True  # titles and places are written by whoever sent the invitation

    def describe(self, args: ListInput) -> str:
        return f"list calendar events from {args.start or 'today'}" + (
            f" to {args.end}" if args.end else "")

    async def run(self, args: ListInput, ctx: ToolContext) -> ToolResult:
        zone = user_zone(ctx.context)
        start = parse_when(args.start, zone) if args.start else datetime.now(zone).date()
        low, high = span(start, parse_when(args.end, zone) if args.end else None, zone)
        if high <= low:
            return ToolResult.failure("end: must be after the start")
        if high - low > MAX_SPAN:
            return ToolResult.failure("the range may cover at most 366 days")
        found = await self.on_calendar(
            ctx, lambda calendar: ops.find(calendar, low, high, zone, args.limit))
        header = (f"Calendar {found.calendar!r}, from {show_moment(low, zone)} to "
                  f"{show_moment(high, zone)} (times in {zone.key}): ")
        if not found.events:
            return ToolResult(content=header + "no events.", summary="no events")
        lines = [header + f"{found.total} event(s)."]
        for event in found.events:
            place = f" (at {event.location})" if event.location else ""
            lines.append(f"- {event.when(zone)}: {event.summary}{place} [uid: {event.uid}]")
        if found.total > len(found.events):
            lines.append(f"(showing the first {len(found.events)} of {found.total}; narrow the "
                         "range to see the rest)")
        return ToolResult(content="\n".join(lines), summary=f"{found.total} event(s)")


class CaldavGetEvent(CalendarTool):
    name = "caldav_get_event"
    description = ("Show one event of the user's calendar in full (time, place, description) "
                   "by its UID.")
    Input = GetInput
    reads_untrusted = True

    def describe(self, args: GetInput) -> str:
        return f"read the calendar event {args.uid}"

    async def run(self, args: GetInput, ctx: ToolContext) -> ToolResult:
        zone = user_zone(ctx.context)
        event = await self.on_calendar(
            ctx, lambda calendar: ops.fetch(calendar, args.uid, zone))
        return ToolResult(content=details(event, zone), summary=f"read event {args.uid}")
