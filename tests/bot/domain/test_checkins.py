"""The check-in rules, with the time passed in. Copenhagen in 2026: summer time starts Sunday 29 March
(02:00 -> 03:00, +01:00 -> +02:00) and ends Sunday 25 October (03:00 -> 02:00, 02:00-03:00 happens twice)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.checkins import (
    GIVE_UP_AFTER,
    REMIND_AFTER,
    CheckinStatus,
    QuietHours,
    evaluation_questions,
    next_step,
    not_in_quiet_hours,
    parse_durations,
    parse_quiet_hours,
    quarter_start,
    schedule,
)

CPH = ZoneInfo("Europe/Copenhagen")
QUIET = QuietHours(start=time(20, 0), end=time(9, 0), zone=CPH)
DAY = timedelta(days=1)


def cph(month: int, day: int, hour: int, minute: int = 0, *, year: int = 2026, fold: int = 0) -> datetime:
    """A wall-clock time in Copenhagen (fold=1: the second 02:xx on the night summer time ends).

    Compare it in UTC (`.astimezone(UTC)`): Python compares two datetimes in the same zone by their wall
    clocks (fold ignored), and a time in the repeated hour is never equal to one in another zone (PEP 495).
    """
    return datetime(year, month, day, hour, minute, tzinfo=CPH, fold=fold)


def utc(month: int, day: int, hour: int, minute: int = 0, second: int = 0, *, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_the_helpers_see_the_clock_changes() -> None:
    assert cph(3, 29, 1, 59).astimezone(UTC) == utc(3, 29, 0, 59)
    assert cph(3, 29, 3, 0).astimezone(UTC) == utc(3, 29, 1, 0)
    assert cph(10, 25, 2, 30).astimezone(UTC) == utc(10, 25, 0, 30)
    assert cph(10, 25, 2, 30, fold=1).astimezone(UTC) == utc(10, 25, 1, 30)


# --- parse_quiet_hours --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("20:00-09:00", time(20, 0), time(9, 0)),
        (" 21:30 - 7:15 ", time(21, 30), time(7, 15)),
        ("00:00-06:00", time(0, 0), time(6, 0)),
        ("13:00-14:00", time(13, 0), time(14, 0)),
        ("23:59-00:00", time(23, 59), time(0, 0)),
    ],
)
def test_parsing_quiet_hours(value: str, start: time, end: time) -> None:
    assert parse_quiet_hours(value, CPH) == QuietHours(start=start, end=end, zone=CPH)


@pytest.mark.parametrize("value", ["off", "OFF", " Off "])
def test_quiet_hours_can_be_off(value: str) -> None:
    assert parse_quiet_hours(value, CPH) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "",
            r"'' are not quiet hours: write them as HH:MM-HH:MM in local time, e\.g\. 20:00-09:00, or 'off'",
        ),
        ("20-9", r"'20-9' are not quiet hours: write them as HH:MM-HH:MM"),
        ("20:00", r"'20:00' are not quiet hours"),
        ("20:00-09:00-10:00", r"are not quiet hours"),
        ("8pm-9am", r"'8pm-9am' are not quiet hours"),
        ("٢٠:٠٠-٠٩:٠٠", r"are not quiet hours"),
        ("none", r"'none' are not quiet hours"),
        ("24:00-09:00", r"24:00 in '24:00-09:00' is not a time of day \(00:00-23:59\)"),
        ("20:00-09:60", r"09:60 in '20:00-09:60' is not a time of day"),
        (
            "20:00-20:00",
            r"Quiet hours '20:00-20:00' start and end at the same time; write them as HH:MM-HH:MM",
        ),
    ],
)
def test_quiet_hours_that_cannot_be_read_are_refused_clearly(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_quiet_hours(value, CPH)


def test_quiet_hours_are_local_times_and_not_empty() -> None:
    with pytest.raises(ValueError, match="are empty; use 'off'"):
        QuietHours(start=time(9), end=time(9), zone=CPH)
    with pytest.raises(ValueError, match="without a time zone"):
        QuietHours(start=time(20, tzinfo=UTC), end=time(9), zone=CPH)


# --- parse_durations ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "durations"),
    [
        ("7d,30d,90d", (timedelta(days=7), timedelta(days=30), timedelta(days=90))),
        ("2s,4s", (timedelta(seconds=2), timedelta(seconds=4))),
        ("12h", (timedelta(hours=12),)),
        ("90m", (timedelta(minutes=90),)),
        (" 7d , 30d ", (timedelta(days=7), timedelta(days=30))),
        ("90d,7d,30d", (timedelta(days=7), timedelta(days=30), timedelta(days=90))),  # sorted
        ("1d,36h,3s", (timedelta(seconds=3), timedelta(days=1), timedelta(hours=36))),
    ],
)
def test_parsing_durations(value: str, durations: tuple[timedelta, ...]) -> None:
    assert parse_durations(value) == durations


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", r"No durations given: use a whole number and a unit s, m, h or d, separated by commas"),
        ("  ", r"No durations given"),
        ("7", r"'7' in '7' is not a duration: use a whole number and a unit s, m, h or d"),
        ("7 d", r"'7 d' in '7 d' is not a duration"),
        ("7w", r"'7w' in '7w' is not a duration"),
        ("7D", r"'7D' in '7D' is not a duration"),
        ("1.5d", r"'1.5d' in '1.5d' is not a duration"),
        ("-1d", r"'-1d' in '-1d' is not a duration"),
        ("d", r"'d' in 'd' is not a duration"),
        ("7d,,30d", r"An empty item in '7d,,30d' is not a duration"),
        ("7d,", r"An empty item in '7d,' is not a duration"),
        ("0d", r"'0d' in '0d' is not after the start: durations must be more than 0"),
        ("7d,0s", r"'0s' in '7d,0s' is not after the start"),
        ("7d,7d", r"'7d' in '7d,7d' is the same time as '7d': give each once"),
        ("1d,24h", r"'24h' in '1d,24h' is the same time as '1d'"),
        ("99999999999d", r"'99999999999d' in '99999999999d' is too long"),
    ],
)
def test_durations_that_cannot_be_read_are_refused_clearly(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_durations(value)


# --- schedule: whole days on the calendar, the rest as elapsed time -----------------------------------------


@pytest.mark.parametrize(
    ("start", "after", "due"),
    [
        # A week later at the same time of day, although summer time began in between (6 days 23 hours).
        (cph(3, 23, 10), timedelta(days=7), cph(3, 30, 10)),
        (cph(3, 23, 10), timedelta(days=7), utc(3, 30, 8)),
        # ... and although it ended in between (7 days 1 hour).
        (cph(10, 20, 10), timedelta(days=7), cph(10, 27, 10)),
        (cph(10, 20, 10), timedelta(days=7), utc(10, 27, 9)),
        # 30 and 90 days, across the spring change and both changes.
        (cph(3, 1, 18, 45), timedelta(days=30), cph(3, 31, 18, 45)),
        (cph(9, 1, 12), timedelta(days=90), cph(11, 30, 12)),
        # Days without a change are plain.
        (cph(5, 4, 10), timedelta(days=7), utc(5, 11, 8)),
        # The night before the change to the morning after: one calendar day is 23 hours ...
        (cph(3, 28, 23, 30), DAY, cph(3, 29, 23, 30)),
        (cph(3, 28, 23, 30), DAY, utc(3, 29, 21, 30)),
        # ... or 25 hours in autumn.
        (cph(10, 24, 23, 30), DAY, utc(10, 25, 22, 30)),
        # A wall time skipped in spring is read with winter time's offset: 02:30 becomes 03:30 summer time.
        (cph(3, 22, 2, 30), timedelta(days=7), utc(3, 29, 1, 30)),
        (cph(3, 22, 2, 30), timedelta(days=7), cph(3, 29, 3, 30)),
        # A wall time that happens twice in autumn is its first occurrence (fold=0) ...
        (cph(10, 18, 2, 30), timedelta(days=7), utc(10, 25, 0, 30)),
        # ... and a start in the repeated hour keeps its time of day.
        (cph(10, 25, 2, 30, fold=1), DAY, cph(10, 26, 2, 30)),
        (cph(10, 25, 2, 30, fold=1), DAY, utc(10, 26, 1, 30)),
        # Under a day: exact elapsed time, whatever the wall clock does.
        (cph(3, 23, 10), timedelta(seconds=2), utc(3, 23, 9, 0, 2)),
        (cph(3, 28, 20), timedelta(hours=12), utc(3, 29, 7)),  # 09:00 summer time: 13 hours on the wall
        (cph(10, 24, 20), timedelta(hours=12), utc(10, 25, 6)),  # 07:00 winter time: 11 hours on the wall
        (cph(3, 29, 1, 59), timedelta(minutes=2), cph(3, 29, 3, 1)),
        (cph(10, 25, 2, 59), timedelta(minutes=2), cph(10, 25, 2, 1, fold=1)),
        (cph(10, 25, 2, 30, fold=1), timedelta(seconds=2), utc(10, 25, 1, 30, 2)),  # the fold is not lost
        # Days and hours: the calendar days first, then the rest as elapsed time.
        (cph(3, 28, 20), timedelta(hours=36), utc(3, 30, 6)),  # 29 March 20:00 summer time + 12 hours
    ],
)
def test_schedule(start: datetime, after: timedelta, due: datetime) -> None:
    [moment] = schedule(start, [after], zone=CPH)
    assert moment == due.astimezone(UTC)
    assert moment.tzinfo is UTC


def test_schedule_gives_each_due_time_in_order_whatever_zone_the_start_is_given_in() -> None:
    after = parse_durations("7d,30d,90d")
    expected = [utc(3, 30, 8), utc(4, 22, 8), utc(6, 21, 8)]  # 10:00 local each time
    assert schedule(cph(3, 23, 10), after, zone=CPH) == expected
    assert schedule(utc(3, 23, 9), after, zone=CPH) == expected
    assert schedule(utc(3, 23, 9), [], zone=CPH) == []


def test_schedule_in_utc_is_elapsed_time() -> None:
    assert schedule(cph(3, 23, 10), [timedelta(days=7)], zone=ZoneInfo("UTC")) == [utc(3, 30, 9)]


def test_schedule_refuses_a_naive_start_and_a_duration_that_is_not_after_it() -> None:
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        schedule(datetime(2026, 3, 23, 10), [DAY], zone=CPH)
    with pytest.raises(ValueError, match="must come after the start"):
        schedule(cph(3, 23, 10), [timedelta(0)], zone=CPH)
    with pytest.raises(ValueError, match="must come after the start"):
        schedule(cph(3, 23, 10), [-DAY], zone=CPH)


# --- not_in_quiet_hours: 20:00-09:00 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (cph(3, 10, 21, 30), cph(3, 11, 9)),  # in the evening: the next morning
        (cph(3, 10, 20, 0), cph(3, 11, 9)),  # the first quiet minute
        (cph(3, 10, 23, 59), cph(3, 11, 9)),
        (cph(3, 11, 0, 0), cph(3, 11, 9)),  # after midnight: the same morning
        (cph(3, 11, 8, 59), cph(3, 11, 9)),
        (datetime(2026, 3, 11, 8, 59, 59, 999999, tzinfo=CPH), cph(3, 11, 9)),
        (cph(3, 11, 9, 0), cph(3, 11, 9, 0)),  # 09:00 is sent
        (cph(3, 11, 12, 0), cph(3, 11, 12, 0)),
        (cph(3, 11, 19, 59), cph(3, 11, 19, 59)),  # 19:59 is sent
        (
            datetime(2026, 3, 11, 19, 59, 59, 999999, tzinfo=CPH),
            datetime(2026, 3, 11, 19, 59, 59, 999999, tzinfo=CPH),
        ),
        (cph(12, 31, 22), cph(1, 1, 9, year=2027)),  # across the year
        # The night summer time starts (09:00 is +02:00, the evening before +01:00).
        (cph(3, 28, 21, 30), cph(3, 29, 9)),
        (cph(3, 28, 21, 30), utc(3, 29, 7)),
        (cph(3, 29, 1, 30), utc(3, 29, 7)),
        (utc(3, 29, 1, 30), utc(3, 29, 7)),  # 03:30 summer time, just after the skipped hour
        (cph(3, 29, 8, 59), utc(3, 29, 7)),
        (cph(3, 29, 9), utc(3, 29, 7)),
        # The night summer time ends (09:00 is +01:00, the evening before +02:00).
        (cph(10, 24, 21, 30), cph(10, 25, 9)),
        (cph(10, 24, 21, 30), utc(10, 25, 8)),
        (cph(10, 25, 2, 30), utc(10, 25, 8)),  # the first 02:30
        (cph(10, 25, 2, 30, fold=1), utc(10, 25, 8)),  # the second 02:30
        (cph(10, 25, 8, 59), utc(10, 25, 8)),
        # The evening after a change.
        (cph(3, 29, 22), utc(3, 30, 7)),
        (cph(10, 25, 22), utc(10, 26, 8)),
    ],
)
def test_a_message_due_in_quiet_hours_waits_for_the_morning(due: datetime, sent: datetime) -> None:
    moment = not_in_quiet_hours(due, QUIET)
    assert moment == sent.astimezone(UTC)
    assert moment.tzinfo is UTC


@pytest.mark.parametrize(
    "due", [cph(3, 10, 21, 30), cph(3, 11, 3), cph(3, 29, 1, 30), cph(10, 25, 2, 30, fold=1)]
)
def test_without_quiet_hours_the_moment_is_kept(due: datetime) -> None:
    moment = not_in_quiet_hours(due, None)
    assert moment == due.astimezone(UTC)
    assert moment.tzinfo is UTC


@pytest.mark.parametrize(
    ("quiet", "due", "sent"),
    [
        # A window that does not cross midnight.
        (QuietHours(time(13), time(14), CPH), cph(6, 1, 13, 30), cph(6, 1, 14)),
        (QuietHours(time(13), time(14), CPH), cph(6, 1, 12, 59), cph(6, 1, 12, 59)),
        (QuietHours(time(13), time(14), CPH), cph(6, 1, 14), cph(6, 1, 14)),
        (QuietHours(time(0), time(6), CPH), cph(6, 1, 23, 59), cph(6, 1, 23, 59)),
        (QuietHours(time(0), time(6), CPH), cph(6, 1, 0), cph(6, 1, 6)),
        # An end that does not exist on the spring night is read as summer time: 02:30 -> 03:30.
        (QuietHours(time(22), time(2, 30), CPH), cph(3, 28, 23), cph(3, 29, 3, 30)),
        (QuietHours(time(22), time(2, 30), CPH), cph(3, 29, 1, 59), cph(3, 29, 3, 30)),
        # An end that happens twice on the autumn night: the first time, or the second for a moment between.
        (QuietHours(time(22), time(2, 30), CPH), cph(10, 24, 23), cph(10, 25, 2, 30)),
        (QuietHours(time(22), time(2, 30), CPH), cph(10, 25, 2, 15, fold=1), cph(10, 25, 2, 30, fold=1)),
        (QuietHours(time(22), time(2, 30), CPH), cph(10, 25, 2, 45), cph(10, 25, 2, 45)),
        # Another zone.
        (
            QuietHours(time(20), time(9), ZoneInfo("America/New_York")),
            utc(3, 8, 2),  # 21:00 on 7 March in New York; summer time starts there on 8 March
            utc(3, 8, 13),  # 09:00 EDT
        ),
    ],
)
def test_quiet_hours_other_windows(quiet: QuietHours, due: datetime, sent: datetime) -> None:
    assert not_in_quiet_hours(due, quiet) == sent.astimezone(UTC)


def test_the_morning_is_never_before_the_moment_and_never_quiet() -> None:
    for first, last in ((utc(3, 26, 0), utc(4, 2, 0)), (utc(10, 22, 0), utc(10, 29, 0))):
        moment = first
        while moment < last:  # every 5 minutes for a week around each change
            sent = not_in_quiet_hours(moment, QUIET)
            assert sent >= moment
            assert not QUIET.contains(sent)
            assert sent - moment <= timedelta(
                hours=14
            )  # the longest night, 25 October: 20:00 to 09:00 is 14 h
            assert sent == moment or sent.astimezone(CPH).time() == time(9)
            moment += timedelta(minutes=5)


def test_not_in_quiet_hours_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="moment must be an aware datetime"):
        not_in_quiet_hours(datetime(2026, 3, 10, 21, 30), QUIET)


# --- next_step ----------------------------------------------------------------------------------------------

SENT_AT = cph(3, 23, 10).astimezone(UTC)  # in UTC, so that `+` adds elapsed time


@pytest.mark.parametrize(
    ("status", "now", "step"),
    [
        (CheckinStatus.SENT, SENT_AT, "wait"),
        (CheckinStatus.SENT, SENT_AT + REMIND_AFTER - timedelta(seconds=1), "wait"),
        (CheckinStatus.SENT, SENT_AT + REMIND_AFTER, "remind"),
        (CheckinStatus.SENT, SENT_AT + timedelta(days=3), "remind"),
        (CheckinStatus.SENT, SENT_AT + GIVE_UP_AFTER, "give_up"),  # the bot was down: no late reminder
        (CheckinStatus.REMINDED, SENT_AT + REMIND_AFTER, "wait"),
        (CheckinStatus.REMINDED, SENT_AT + GIVE_UP_AFTER - timedelta(seconds=1), "wait"),
        (CheckinStatus.REMINDED, SENT_AT + GIVE_UP_AFTER, "give_up"),
        (CheckinStatus.REMINDED, SENT_AT + timedelta(days=30), "give_up"),
        # Nothing to do for the others.
        (CheckinStatus.SCHEDULED, SENT_AT + timedelta(days=30), "wait"),
        (CheckinStatus.ANSWERED, SENT_AT + timedelta(days=30), "wait"),
        (CheckinStatus.UNANSWERED, SENT_AT + timedelta(days=30), "wait"),
        (CheckinStatus.CANCELLED, SENT_AT + timedelta(days=30), "wait"),
    ],
)
def test_next_step(status: CheckinStatus, now: datetime, step: str) -> None:
    assert next_step(status, SENT_AT, now.astimezone(UTC)) == step
    assert next_step(status, SENT_AT.astimezone(CPH), now.astimezone(CPH)) == step  # elapsed, not wall time


@pytest.mark.parametrize(
    ("sent_at", "now", "step"),
    [
        # Elapsed time, not the wall clock: a day after 10:00 before the spring change is 11:00 summer time,
        (cph(3, 28, 10), cph(3, 29, 10, 59), "wait"),
        (cph(3, 28, 10), cph(3, 29, 11), "remind"),
        # and after the autumn change 09:00 winter time.
        (cph(10, 24, 10), cph(10, 25, 8, 59), "wait"),
        (cph(10, 24, 10), cph(10, 25, 9), "remind"),
    ],
)
def test_next_step_counts_elapsed_time_across_the_clock_changes(
    sent_at: datetime, now: datetime, step: str
) -> None:
    assert next_step(CheckinStatus.SENT, sent_at, now) == step
    assert next_step(CheckinStatus.SENT, sent_at.astimezone(UTC), now.astimezone(UTC)) == step


def test_next_step_without_a_send_time() -> None:
    assert next_step(CheckinStatus.SCHEDULED, None, SENT_AT) == "wait"
    assert next_step(CheckinStatus.CANCELLED, None, SENT_AT) == "wait"
    with pytest.raises(ValueError, match="that is sent has a time it was sent"):
        next_step(CheckinStatus.SENT, None, SENT_AT)
    with pytest.raises(ValueError, match="that is reminded has a time it was sent"):
        next_step(CheckinStatus.REMINDED, None, SENT_AT)
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        next_step(CheckinStatus.SENT, SENT_AT, datetime(2026, 3, 24, 10))


def test_the_statuses_are_stored_by_their_values() -> None:
    assert [status.value for status in CheckinStatus] == [
        "scheduled",
        "sent",
        "reminded",
        "answered",
        "unanswered",
        "cancelled",
    ]


# --- quarter_start ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "start"),
    [
        (cph(1, 1, 0), cph(1, 1, 0)),
        (cph(2, 14, 12), cph(1, 1, 0)),
        (cph(3, 31, 23, 59), cph(1, 1, 0)),
        (cph(4, 1, 0), cph(4, 1, 0)),  # summer time: 31 March 22:00 UTC
        (cph(4, 1, 0), utc(3, 31, 22)),
        (cph(6, 30, 23, 59), utc(3, 31, 22)),
        (cph(9, 15, 8), utc(6, 30, 22)),
        (cph(10, 25, 2, 30, fold=1), utc(9, 30, 22)),  # the quarter began in summer time
        (cph(12, 31, 23, 59), utc(9, 30, 22)),
        # Across the year boundary: New Year in Copenhagen is 23:00 UTC on 31 December.
        (utc(12, 31, 22, 59, year=2025), utc(9, 30, 22, year=2025)),  # 23:59 local on 31 December
        (utc(12, 31, 23, 0, year=2025), utc(12, 31, 23, year=2025)),  # 00:00 local on 1 January 2026
        (utc(12, 31, 23, 30, year=2025), cph(1, 1, 0)),
        (cph(1, 1, 0, year=2027), utc(12, 31, 23)),
    ],
)
def test_quarter_start(moment: datetime, start: datetime) -> None:
    first = quarter_start(moment, CPH)
    assert first == start.astimezone(UTC)
    assert first.tzinfo is UTC
    assert first <= moment


def test_quarter_start_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="moment must be an aware datetime"):
        quarter_start(datetime(2026, 1, 1), CPH)


# --- evaluation_questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("durations", "questions"),
    [
        (
            "7d,30d,90d",
            [
                ("better",),
                ("better", "courage", "network", "society"),
                ("better", "courage", "network", "society"),
            ],
        ),
        # After the first, every check-in asks them too: a short test schedule shows the whole flow.
        ("2s,4s", [("better",), ("better", "courage", "network", "society")]),
        ("7d,14d", [("better",), ("better", "courage", "network", "society")]),
        # The first asks them only from 30 days on.
        ("7d", [("better",)]),
        ("29d", [("better",)]),
        ("719h", [("better",)]),
        ("30d", [("better", "courage", "network", "society")]),
        ("720h", [("better", "courage", "network", "society")]),  # 720h is 30 days
    ],
)
def test_evaluation_questions(durations: str, questions: list[tuple[str, ...]]) -> None:
    after = parse_durations(durations)
    assert [evaluation_questions(index, after) for index in range(len(after))] == questions


@pytest.mark.parametrize("index", [-1, 3])
def test_evaluation_questions_of_a_check_in_that_does_not_exist(index: int) -> None:
    with pytest.raises(IndexError, match=f"There is no check-in {index}: there are 3"):
        evaluation_questions(index, parse_durations("7d,30d,90d"))
