"""The next lesson a week later, on the local clock, outside quiet hours, across summer time."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkins import QuietHours
from bot.domain.course import next_lesson_due

CPH = ZoneInfo("Europe/Copenhagen")
QUIET = QuietHours(start=time(20, 0), end=time(9, 0), zone=CPH)


@pytest.mark.parametrize(
    ("finished_local", "expected_local"),
    [
        # an ordinary week, in the afternoon
        (datetime(2026, 3, 2, 15, 0), datetime(2026, 3, 9, 15, 0)),
        # summer time begins on 29 March: still 15:00 on her clock (6 days 23 hours later)
        (datetime(2026, 3, 25, 15, 0), datetime(2026, 4, 1, 15, 0)),
        # winter time begins on 25 October: still 15:00 on her clock (7 days 1 hour later)
        (datetime(2026, 10, 21, 15, 0), datetime(2026, 10, 28, 15, 0)),
        # finished in the evening: a week later it waits for the morning
        (datetime(2026, 3, 2, 21, 30), datetime(2026, 3, 10, 9, 0)),
        # in the evening across the change to summer time: 09:00 summer time
        (datetime(2026, 3, 24, 22, 0), datetime(2026, 4, 1, 9, 0)),
        # early in the morning across the change to winter time: 09:00 winter time, the same day
        (datetime(2026, 10, 20, 7, 0), datetime(2026, 10, 27, 9, 0)),
    ],
)
def test_the_next_lesson_comes_a_week_later_outside_quiet_hours(
    finished_local: datetime, expected_local: datetime
) -> None:
    finished = finished_local.replace(tzinfo=CPH).astimezone(UTC)
    due = next_lesson_due(finished, zone=CPH, quiet=QUIET)
    assert due.astimezone(CPH).replace(tzinfo=None) == expected_local
    assert due.tzinfo == UTC


def test_without_quiet_hours_it_is_exactly_the_same_wall_time() -> None:
    finished = datetime(2026, 3, 2, 21, 30, tzinfo=CPH)
    assert next_lesson_due(finished, zone=CPH, quiet=None).astimezone(CPH).hour == 21
