"""Follow-up check-ins: when they are due, quiet hours, reminders and which questions they ask. No I/O.

Time is always passed in as aware datetimes; every instant returned is in UTC.

How a check-in's due time is counted from the start of a match (`schedule`):

- Whole days are **calendar days in local time**: "7d" after Monday 23 March 2026 10:00 in Copenhagen is
  Monday 30 March 10:00 local, although summer time began in between and only 6 days 23 hours passed. A woman
  expects "a week later, at the same time of day".
- What is left under a day is **exact elapsed time**: "12h" is twelve hours on the clock of the world, and
  "2s" (used in tests and the sandbox) is two seconds, whatever the wall clock does.
- A duration of days and hours ("36h") takes the calendar days first, then the rest as elapsed time.
- A local wall time that does not exist (02:30 on the last Sunday of March) is read with the offset from
  before the change, as RFC 5545 does: it becomes 03:30 summer time. One that happens twice (02:30 on the last
  Sunday of October) is its first occurrence (``fold=0``).

Quiet hours are a window of local wall-clock time, ``start`` inclusive and ``end`` exclusive, which may cross
midnight: with 20:00-09:00, 19:59 and 09:00 are not quiet, 20:00 and 08:59 are. A message due in the window
waits for the window's end (`not_in_quiet_hours`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "BETTER",
    "EVALUATION",
    "EVALUATION_AFTER",
    "GIVE_UP_AFTER",
    "REMIND_AFTER",
    "CheckinStatus",
    "QuietHours",
    "evaluation_questions",
    "next_step",
    "not_in_quiet_hours",
    "parse_durations",
    "parse_quiet_hours",
    "quarter_start",
    "schedule",
]

REMIND_AFTER = timedelta(days=1)  # an unanswered check-in is asked again once, a day after it was sent
GIVE_UP_AFTER = timedelta(days=7)  # and counts as unanswered a week after it was sent

BETTER = "better"  # every check-in asks whether it is going better
EVALUATION = ("courage", "network", "society")  # the evaluation's measures, asked from EVALUATION_AFTER on
EVALUATION_AFTER = timedelta(days=30)

Step = Literal["wait", "remind", "give_up"]


class CheckinStatus(StrEnum):
    SCHEDULED = "scheduled"  # waits for its due time
    SENT = "sent"  # asked, waits for an answer
    REMINDED = "reminded"  # asked again once, still waits for an answer
    ANSWERED = "answered"  # she answered
    UNANSWERED = "unanswered"  # a week passed after it was sent without an answer
    CANCELLED = "cancelled"  # /stop, her data erased, or the match ended


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily window of local wall-clock time in which nobody is written to; it may cross midnight."""

    start: time  # the first quiet minute, e.g. 20:00 local
    end: time  # the first minute that is not quiet any more, e.g. 09:00 local
    zone: ZoneInfo  # the wall clock the times are read on, e.g. Europe/Copenhagen

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Quiet hours are local wall-clock times: give times without a time zone.")
        if self.start == self.end:
            raise ValueError(f"Quiet hours from {self.start:%H:%M} to {self.end:%H:%M} are empty; use 'off'.")

    def contains(self, moment: datetime) -> bool:
        """Whether the local wall-clock time of `moment` (aware) is in the window."""
        wall = _local(moment, self.zone).time()
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


_QUIET = re.compile(r"([0-9]{1,2}):([0-9]{2})\s*-\s*([0-9]{1,2}):([0-9]{2})", re.ASCII)
_DURATION = re.compile(r"([0-9]+)([smhd])", re.ASCII)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_quiet_hours(value: str, zone: ZoneInfo) -> QuietHours | None:
    """'20:00-09:00' -> QuietHours in `zone`; 'off' -> None; anything else raises ValueError."""
    text = value.strip()
    if text.lower() == "off":
        return None
    example = "write them as HH:MM-HH:MM in local time, e.g. 20:00-09:00, or 'off' for none"
    match = _QUIET.fullmatch(text)
    if match is None:
        raise ValueError(f"{value!r} are not quiet hours: {example}.")
    start_hour, start_minute, end_hour, end_minute = (int(group) for group in match.groups())
    for hour, minute in ((start_hour, start_minute), (end_hour, end_minute)):
        if hour > 23 or minute > 59:
            raise ValueError(f"{hour:02d}:{minute:02d} in {value!r} is not a time of day (00:00-23:59).")
    if (start_hour, start_minute) == (end_hour, end_minute):
        raise ValueError(f"Quiet hours {value!r} start and end at the same time; {example}.")
    return QuietHours(start=time(start_hour, start_minute), end=time(end_hour, end_minute), zone=zone)


def parse_durations(value: str) -> tuple[timedelta, ...]:
    """'7d,30d,90d' / '2s,4s' / '12h' -> the durations, ascending. Units s, m, h, d; each > 0, none twice."""
    example = "use a whole number and a unit s, m, h or d, separated by commas, e.g. 7d,30d,90d"
    if not value.strip():
        raise ValueError(f"No durations given: {example}.")
    durations: list[timedelta] = []
    seen: dict[timedelta, str] = {}
    for item in value.split(","):
        text = item.strip()
        match = _DURATION.fullmatch(text)
        if match is None:
            what = "An empty item" if not text else f"{text!r}"
            raise ValueError(f"{what} in {value!r} is not a duration: {example}.")
        amount, unit = int(match.group(1)), match.group(2)
        if amount == 0:
            raise ValueError(f"{text!r} in {value!r} is not after the start: durations must be more than 0.")
        try:
            duration = timedelta(**{_UNITS[unit]: amount})
        except OverflowError:
            raise ValueError(f"{text!r} in {value!r} is too long.") from None
        if duration in seen:
            raise ValueError(f"{text!r} in {value!r} is the same time as {seen[duration]!r}: give each once.")
        seen[duration] = text
        durations.append(duration)
    return tuple(sorted(durations))


def schedule(start: datetime, after: Sequence[timedelta], *, zone: ZoneInfo) -> list[datetime]:
    """The due time of each check-in, `start` + each duration, in UTC.

    Whole days are counted as calendar days at the same wall-clock time in `zone`; what is left under a day as
    exact elapsed time (see the module's docstring).
    """
    _require_aware(start, "start")
    return [_after(start, duration, zone) for duration in after]


def _after(start: datetime, duration: timedelta, zone: ZoneInfo) -> datetime:
    if duration <= timedelta(0):
        raise ValueError(f"A check-in must come after the start, not {duration} after it.")
    moment = start.astimezone(UTC)
    if duration.days:
        wall = _local(start, zone).replace(tzinfo=None) + timedelta(days=duration.days)
        moment = _instant(wall.date(), wall.time(), zone)
    return moment + (duration - timedelta(days=duration.days))


def not_in_quiet_hours(moment: datetime, quiet: QuietHours | None) -> datetime:
    """`moment` (in UTC) if it is outside the quiet window, else the window's end after it (the morning).

    The end is found on the local wall clock of `quiet.zone`: 21:30 waits until 09:00 the next morning, in
    winter or summer time, on the nights the clocks change as well.
    """
    _require_aware(moment, "moment")
    moment = moment.astimezone(UTC)
    if quiet is None or not quiet.contains(moment):
        return moment
    today = _local(moment, quiet.zone).date()
    ends = [
        end
        for day in (today, today + timedelta(days=1))
        for end in _instants(day, quiet.end, quiet.zone)
        if end > moment
    ]
    return min(ends)


def next_step(status: CheckinStatus, sent_at: datetime | None, now: datetime) -> Step:
    """What a check-in that was sent needs now.

    SENT: "remind" from REMIND_AFTER after `sent_at` (or "give_up" if GIVE_UP_AFTER passed already, say after
    the bot was down: a reminder then would only be followed by giving up). REMINDED: "give_up" from
    GIVE_UP_AFTER after `sent_at`. Otherwise "wait"; every other status has nothing to do here (SCHEDULED
    waits for its due time, the rest are done).
    """
    _require_aware(now, "now")
    if status not in (CheckinStatus.SENT, CheckinStatus.REMINDED):
        return "wait"
    if sent_at is None:
        raise ValueError(f"A check-in that is {status} has a time it was sent.")
    _require_aware(sent_at, "sent_at")
    # In UTC: adding to a datetime in a zone with summer time would add wall-clock time, not elapsed time.
    sent_at, now = sent_at.astimezone(UTC), now.astimezone(UTC)
    if now >= sent_at + GIVE_UP_AFTER:
        return "give_up"
    if status is CheckinStatus.SENT and now >= sent_at + REMIND_AFTER:
        return "remind"
    return "wait"


def quarter_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The first instant of the calendar quarter (local, in `zone`) that `moment` is in, in UTC."""
    _require_aware(moment, "moment")
    local = _local(moment, zone)
    first_month = (local.month - 1) // 3 * 3 + 1
    return _instant(date(local.year, first_month, 1), time(0), zone)


def evaluation_questions(index: int, after: Sequence[timedelta]) -> tuple[str, ...]:
    """The questions the check-in at `after[index]` asks: always "better"; the evaluation's too from 30 days
    on, and in any case at every check-in after the first (so a short test schedule asks them as well)."""
    if not 0 <= index < len(after):
        raise IndexError(f"There is no check-in {index}: there are {len(after)}.")
    if after[index] >= EVALUATION_AFTER or index > 0:
        return (BETTER, *EVALUATION)
    return (BETTER,)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, not {moment!r}.")


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    _require_aware(moment, "moment")
    return moment.astimezone(zone)


def _instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant the local clock of `zone` shows `wall` on `day`, in UTC: the first of two (fold=0); a time
    skipped in spring is read with the offset from before the change (02:30 -> 03:30 summer time)."""
    return datetime.combine(day, wall.replace(fold=0), tzinfo=zone).astimezone(UTC)


def _instants(day: date, wall: time, zone: ZoneInfo) -> list[datetime]:
    """Every instant the local clock shows `wall` on `day`: two in the hour repeated in autumn; for a time
    skipped in spring, the one `_instant` gives."""
    first = _instant(day, wall, zone)
    second = datetime.combine(day, wall.replace(fold=1), tzinfo=zone).astimezone(UTC)
    if second != first and second.astimezone(zone).replace(tzinfo=None) == datetime.combine(day, wall):
        return [first, second]
    return [first]
