"""The report's measures for the dashboard: per month over the last year, per group and language, as CSV.

The same rules as `python -m bot report`: each person counts once (her latest answer), and a share over fewer
than MIN_ANSWERS answers is "too few to show". A coordinator sees only her groups' figures.
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.dashboard.access import Viewer
from bot.report import (
    EVALUATION_2015,
    MEASURES,
    MIN_ANSWERS,
    CheckinFact,
    Line,
    MatchFact,
    collect,
    summarise,
)
from storage.db import Database
from storage.models import Alert, Group

__all__ = ["MONTHS", "FalseAlarms", "Outcomes", "Series", "outcomes", "outcomes_csv"]

MONTHS = 12
NO_GROUP = "no group"


@dataclass(frozen=True, slots=True)
class Month:
    start: date  # the first day

    @property
    def key(self) -> str:
        return self.start.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class Series:
    measure: str  # a key of bot.report.MEASURES, e.g. "woman_better"
    reference: float | None  # the 2015 evaluation's figure, if it measured this
    points: list[tuple[Month, int, int, bool]]  # month, positive, n, hidden (else a small group shows)

    @staticmethod
    def share(positive: int, n: int, hidden: bool = False) -> float | None:
        return positive / n if n >= MIN_ANSWERS and not hidden else None


@dataclass(frozen=True, slots=True)
class Outcomes:
    months: list[Month]
    series: list[Series]
    lines: list[Line]  # the whole year per group and language, then all of them (the CLI report's rows)
    answered: list[tuple[Month, int, int]]  # check-ins sent and answered per month
    groups: list[str]  # the groups she may filter by
    languages: list[str]  # the spoken languages in her figures
    group: str | None  # the filter in force
    language: str | None
    false_alarms: list[FalseAlarms] = field(default_factory=list)  # per language of the danger words


@dataclass(frozen=True, slots=True)
class FalseAlarms:
    """Danger alerts of one language (of the words that raised them) that coordinators judged: counts only."""

    language: str  # a locale code
    judged: int
    false_alarms: int

    @property
    def share(self) -> float | None:
        return self.false_alarms / self.judged if self.judged >= MIN_ANSWERS else None


def last_months(now: datetime, zone: ZoneInfo, count: int = MONTHS) -> list[Month]:
    local = now.astimezone(zone).date()
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append(Month(date(year, month, 1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _month_of(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).strftime("%Y-%m") if value is not None else None


async def outcomes(
    db: Database, viewer: Viewer, now: datetime, *, zone: ZoneInfo, group: str | None, language: str | None
) -> Outcomes:
    months = last_months(now, zone)
    first = datetime(months[0].start.year, months[0].start.month, 1, tzinfo=zone)
    async with db.transaction() as session:
        matches, checkins = await collect(session, group=None, since=first)
        verdicts = (
            await session.execute(
                select(Group.name, Alert.danger_language, Alert.verdict)
                .outerjoin(Group, Group.id == Alert.group_id)
                .where(
                    Alert.danger_language.is_not(None),
                    Alert.verdict.is_not(None),
                    Alert.created_at >= first,
                )
            )
        ).all()
    # The counting is pure and takes a few hundred ms for the whole organisation: in a worker thread, the
    # bot's event loop goes on answering women meanwhile.
    result = await asyncio.to_thread(
        _count, viewer, months, matches, checkins, zone=zone, group=group, language=language
    )
    visible = {g.name for g in viewer.groups} | ({NO_GROUP} if viewer.is_admin else set())
    judged: dict[str, list[int]] = {}
    for group_name, alert_language, verdict in verdicts:
        name = group_name or NO_GROUP
        if name in visible and (result.group is None or name == result.group):
            counts = judged.setdefault(str(alert_language), [0, 0])
            counts[0] += 1
            counts[1] += verdict == "false_alarm"
    return replace(
        result,
        false_alarms=[FalseAlarms(code, n, false) for code, (n, false) in sorted(judged.items())],
    )


def _count(
    viewer: Viewer,
    months: list[Month],
    matches: list[MatchFact],
    checkins: list[CheckinFact],
    *,
    zone: ZoneInfo,
    group: str | None,
    language: str | None,
) -> Outcomes:
    visible = {g.name for g in viewer.groups} | ({NO_GROUP} if viewer.is_admin else set())
    matches = [m for m in matches if m.group in visible]
    checkins = [c for c in checkins if c.group in visible]
    groups = sorted(
        {m.group for m in matches} | {c.group for c in checkins} | {g.name for g in viewer.groups}
    )
    languages = sorted(
        {m.language for m in matches} | {c.language for c in checkins if c.audience == "woman"}
    )
    if group in visible:
        matches = [m for m in matches if m.group == group]
        checkins = [c for c in checkins if c.group == group]
    else:
        group = None
    if language in languages:
        matches = [m for m in matches if m.language == language]
        # A Bydelsmor's quarterly check-in belongs to no one language: it counts only without a filter.
        checkins = [c for c in checkins if c.language == language]
    else:
        language = None
    by_month: dict[str, tuple[list[MatchFact], list[CheckinFact]]] = {m.key: ([], []) for m in months}
    for fact in matches:
        key = _month_of(fact.started, zone)
        if key in by_month:
            by_month[key][0].append(fact)
    for checkin in checkins:
        key = _month_of(checkin.due, zone)
        if key in by_month:
            by_month[key][1].append(checkin)
    monthly = {key: summarise(*facts)[-1] for key, facts in by_month.items()}
    series = [
        Series(
            measure=key,
            reference=EVALUATION_2015.get(key),
            points=[(m, *monthly[m.key].measures[key], key in monthly[m.key].suppressed) for m in months],
        )
        for key, _label in MEASURES
    ]
    answered = [(m, monthly[m.key].checkins_sent, monthly[m.key].checkins_answered) for m in months]
    return Outcomes(
        months=months,
        series=series,
        lines=summarise(matches, checkins),
        answered=answered,
        groups=groups,
        languages=languages,
        group=group,
        language=language,
    )


def outcomes_csv(result: Outcomes) -> str:
    """Month by month for the filter in force; shares over too few answers are not given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["month", "group", "language", "measure", "share", "positive", "n", "evaluation_2015"])
    group, language = result.group or "all", result.language or "all"
    for month, sent, answered_count in result.answered:
        writer.writerow([month.key, group, language, "checkins_sent", sent, "", "", ""])
        writer.writerow([month.key, group, language, "checkins_answered", answered_count, "", "", ""])
    for series in result.series:
        for month, positive, n, hidden in series.points:
            shown = series.share(positive, n, hidden)
            writer.writerow(
                [
                    month.key,
                    group,
                    language,
                    series.measure,
                    "too few to show" if shown is None else f"{shown:.3f}",
                    "" if shown is None else positive,
                    n,
                    "" if series.reference is None else series.reference,
                ]
            )
    return buffer.getvalue()
