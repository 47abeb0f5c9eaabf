"""When the next lesson of the course is offered, and which lesson's tip fits a talk. No I/O."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.checkins import QuietHours, not_in_quiet_hours, schedule

__all__ = ["LESSON_GAP", "TIP_FOR_TALK", "next_lesson_due"]

LESSON_GAP = timedelta(days=7)  # the next lesson a week after she finished one, same time of day
# Before her 2nd talk with a woman she picks up the story: listening back (lesson 2). Before the 3rd, when
# the wish to fix things for her grows: not solving it for her (lesson 3). None after that: one tip, not more.
TIP_FOR_TALK = {2: 2, 3: 3}


def next_lesson_due(finished_at: datetime, *, zone: ZoneInfo, quiet: QuietHours | None) -> datetime:
    """A week (in calendar days on the local clock, across summer time) after `finished_at`, outside quiet
    hours: a lesson finished at 21:30 is next offered at the end of the quiet hours a week later."""
    (due,) = schedule(finished_at, (LESSON_GAP,), zone=zone)
    return not_in_quiet_hours(due, quiet)
