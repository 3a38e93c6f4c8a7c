"""caldav_create_event, caldav_update_event, caldav_delete_event: each asks the user first."""

from __future__ import annotations

from jarvis import ChangeInput, ToolContext, ToolResult
from pydantic import BaseModel, ConfigDict, Field

from . import ops
from .context import CalendarTool
from .events import EventView, closing, new_calendar
from .inputs import Notes, Place, Title, Uid, WhenText
from .times import parse_when, user_zone


class CreateInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Title = Field(description="the event's title")
    start: WhenText = Field(description="a date (an all-day event) or a date and time")
    end: WhenText | None = Field(
        None, description="all day: the last day (included); else the end moment; default: "
                          "one day, or one hour")
    location: Place | None = None
    description: Notes | None = None


class UpdateInput(ChangeInput):
    uid: Uid
    summary: Title | None = None
    start: WhenText | None = Field(
        None, description="new start; given alone, the event moves and keeps its length")
    end: WhenText | None = Field(
        None, description="new end: the last day (all day, included) or the end moment")
    location: Place | None = Field(None, description='new place; "" clears it')
    description: Notes | None = Field(None, description='new description; "" clears it')


class DeleteInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uid: Uid


class _CalendarWriter(CalendarTool):
    side_effect = True
    always_confirm = True  # the calendar is the user's own record: they see every change first


def _said(event: EventView, ctx: ToolContext) -> str:
    zone = user_zone(ctx.context)
    return f"{event.when(zone)} ({zone.key})"


class CaldavCreateEvent(_CalendarWriter):
    name = "caldav_create_event"
    description = ("Add an event to the user's calendar. A start date without a time makes an "
                   "all-day event; without an end, a timed event lasts one hour. The user "
                   "confirms it first.")
    Input = CreateInput

    def describe(self, args: CreateInput) -> str:
        until = f" until {args.end}" if args.end else ""
        return f"add the event {args.summary!r} on {args.start}{until} to your calendar"

    async def run(self, args: CreateInput, ctx: ToolContext) -> ToolResult:
        zone = user_zone(ctx.context)
        start = parse_when(args.start, zone)
        try:
            end = closing(start, parse_when(args.end, zone) if args.end else None)
        except ValueError as err:
            return ToolResult.failure(str(err))
        uid, text = new_calendar(args.summary, start, end, args.location, args.description)
        calendar = await self.on_calendar(ctx, lambda cal: ops.create(cal, text))
        shown = _said(EventView(uid, args.summary, start, end), ctx)
        return ToolResult(content=f"Added {args.summary!r} on {shown} to the calendar "
                                  f"{calendar!r}. UID: {uid}",
                          summary=f"created event {uid}")


class CaldavUpdateEvent(_CalendarWriter):
    name = "caldav_update_event"
    description = ("Change an event of the user's calendar by its UID: only the fields given "
                   "change; a new start alone moves the event and keeps its length. A "
                   "recurring event changes as a whole series. The user confirms it first.")
    Input = UpdateInput

    def describe(self, args: UpdateInput) -> str:
        return f"change the calendar event {args.uid}: {args.said()}"

    async def run(self, args: UpdateInput, ctx: ToolContext) -> ToolResult:
        zone = user_zone(ctx.context)
        changes = ops.Changes(
            summary=args.summary, location=args.location, description=args.description,
            start=parse_when(args.start, zone) if args.start else None,
            end=parse_when(args.end, zone) if args.end else None)
        event = await self.on_calendar(
            ctx, lambda cal: ops.update(cal, args.uid, changes, zone))
        changed = ", ".join(sorted(args.model_fields_set - {"uid"}))
        # the stored title may carry outside text: report the time and what changed only
        return ToolResult(content=f"Changed {changed} of the event {args.uid}; it is now on "
                                  f"{_said(event, ctx)}.",
                          summary=f"changed event {args.uid}")


class CaldavDeleteEvent(_CalendarWriter):
    name = "caldav_delete_event"
    description = ("Delete an event from the user's calendar by its UID (a recurring event "
                   "as a whole series). The user confirms it first.")
    Input = DeleteInput

    def describe(self, args: DeleteInput) -> str:
        return f"delete the calendar event {args.uid}"

    async def run(self, args: DeleteInput, ctx: ToolContext) -> ToolResult:
        await self.on_calendar(ctx, lambda cal: ops.delete(cal, args.uid))
        return ToolResult(content=f"Deleted the event {args.uid}.",
                          summary=f"deleted event {args.uid}")
