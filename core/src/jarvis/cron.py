"""Five-field cron schedules: validation, APScheduler triggers, and fire times in a window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from .errors import BadRequest


def normalize_cron(expr: str, field: str = "schedule") -> str:
    """The expression with single spaces, or a 400 naming ``field`` when it is not valid cron."""
    if not expr.isascii():
        # APScheduler reads any Unicode digit (Arabic-Indic, fullwidth, ...) as a number
        raise BadRequest(f"{field}: a cron schedule is written in ASCII: digits 0-9, * , - / "
                         "and English month and weekday names")
    parts = expr.split()
    if len(parts) != 5:
        raise BadRequest(f"{field}: a cron schedule has five fields (minute hour day month "
                         f"weekday), got {len(parts)}")
    text = " ".join(parts)
    try:
        trigger = CronTrigger.from_crontab(text, timezone=UTC)
    except (ValueError, KeyError, TypeError) as err:
        raise BadRequest(f"{field}: invalid cron schedule {text!r}: {err}") from None
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        raise BadRequest(f"{field}: the cron schedule {text!r} never fires")
    return text


class SharedCron(BaseTrigger):
    """A cron trigger shared by every job of the same schedule, remembering its latest answers:
    the jobs of one schedule come due together and APScheduler asks each of them the same
    question (the fire after this one, now), which the first answers for all."""

    MEMO = 8

    def __init__(self, inner: CronTrigger):
        self.inner = inner
        self._memo: dict[tuple[datetime | None, datetime], datetime | None] = {}

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        key = (previous_fire_time, now)
        try:
            return self._memo[key]
        except KeyError:
            pass
        found = self.inner.get_next_fire_time(previous_fire_time, now)
        if len(self._memo) >= self.MEMO:
            self._memo.clear()
        self._memo[key] = found
        return found

    def __str__(self) -> str:
        return str(self.inner)


@lru_cache(maxsize=4096)
def cron_trigger(expr: str, time_zone: str) -> SharedCron:
    """The trigger for a (valid) expression in a zone; triggers are immutable, so shared."""
    return SharedCron(CronTrigger.from_crontab(expr, timezone=ZoneInfo(time_zone)))


def to_utc(moment: datetime) -> datetime:
    """Naive UTC, as the tables store times."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def aware(moment: datetime) -> datetime:
    """A naive UTC time made aware (what APScheduler's triggers compare with)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def next_fire(expr: str, time_zone: str, after: datetime) -> datetime | None:
    """The first fire time strictly after ``after`` (naive UTC in, naive UTC out)."""
    trigger = cron_trigger(expr, time_zone)
    # get_next_fire_time(None, now) answers fire times >= now; cron has whole-second steps
    found = trigger.get_next_fire_time(None, aware(after) + timedelta(microseconds=1))
    return to_utc(found) if found else None


# (expr, zone) -> (asked at, next fire): the answer holds for every moment from the first up
# to the second, so listing many agents does not recompute it on every request.
_UPCOMING: dict[tuple[str, str], tuple[datetime, datetime | None]] = {}
_UPCOMING_MAX = 20_000


def upcoming(expr: str, time_zone: str, now: datetime) -> datetime | None:
    """``next_fire(expr, time_zone, now)``, remembered until that fire time has passed."""
    key = (expr, time_zone)
    hit = _UPCOMING.get(key)
    if hit is not None and hit[0] <= now and (hit[1] is None or now < hit[1]):
        return hit[1]
    found = next_fire(expr, time_zone, now)
    if len(_UPCOMING) >= _UPCOMING_MAX:
        _UPCOMING.clear()
    _UPCOMING[key] = (now, found)
    return found


def fire_times(expr: str, time_zone: str, after: datetime, until: datetime,
               limit: int = 100_000) -> Iterator[datetime]:
    """Fire times in (after, until], oldest first, at most ``limit`` of them (naive UTC)."""
    moment = after
    for _ in range(limit):
        found = next_fire(expr, time_zone, moment)
        if found is None or found > until:
            return
        yield found
        moment = found


class ShiftedTrigger(BaseTrigger):
    """A trigger read on a clock ``shift`` ahead of the real one: it fires, in real time, when
    the shifted clock reaches the inner trigger's fire times (tests and the benchmark use it to
    stand at any moment of any day without waiting for it)."""

    def __init__(self, inner: BaseTrigger, shift: timedelta):
        self.inner = inner
        self.shift = shift

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        previous = previous_fire_time + self.shift if previous_fire_time else None
        found = self.inner.get_next_fire_time(previous, now + self.shift)
        return found - self.shift if found else None
