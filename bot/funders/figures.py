"""The funders' report: one builder of figures for a period and a group (or the whole country).

Its structure follows the 2015 evaluation summary: who was reached, what it gave the women, what it gave the
Bydelsmødre, and the hard parts. The same `FundersReport` is rendered as HTML (the printed page), CSV and
JSON by `bot.funders.render`, so the three can never disagree.

A share over fewer than MIN_ANSWERS answers is "too few to show", as in `python -m bot report`: a small
group's women must not be recognisable from a printed page that is handed around.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.report import EVALUATION_2015, MIN_ANSWERS, CheckinFact, MatchFact, collect, summarise
from storage.models import Alert, CourseProgress, Group, HelpRequest, Match, Volunteer

__all__ = [
    "BYDELSMOR_MEASURES",
    "WOMAN_MEASURES",
    "CourseCompletion",
    "Facts",
    "FundersReport",
    "Measure",
    "Period",
    "ReachFact",
    "build",
    "collect_facts",
    "course_completion",
]

# What the women and the Bydelsmødre were asked, in the order of the 2015 summary, with the report's words.
WOMAN_MEASURES = (
    ("woman_better", "Har det bedre siden sidste samtale"),
    ("woman_courage", "Har fået mod til selv at løse sine problemer"),
    ("woman_network", "Kender flere, der hvor hun bor"),
    ("woman_society", "Ved mere om det danske samfund"),
)
BYDELSMOR_MEASURES = (
    ("bydelsmor_network", "Har fået et stærkere netværk"),
    ("bydelsmor_society", "Ved mere om det danske samfund"),
    ("bydelsmor_courage", "Har fået mere mod i eget liv"),
)
HARD_ANSWERS = (
    ("too_much", "Bydelsmoren svarer: det bliver for meget"),
    ("professional", "Bydelsmoren svarer: hun har brug for professionel hjælp"),
)


@dataclass(frozen=True, slots=True)
class Period:
    """Whole days in the organisation's time zone, both ends included."""

    first: date
    last: date

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as [start, end) instants: from the first day's midnight to the day after the last."""
        start = datetime.combine(self.first, time(), tzinfo=zone)
        end = datetime.combine(self.last + timedelta(days=1), time(), tzinfo=zone)
        return start, end


@dataclass(frozen=True, slots=True)
class ReachFact:
    """One match that was going on during the period: whom it reached, in which group and language."""

    woman: str  # her person id as text: counted once however many matches she had
    group: str
    language: str
    started: datetime
    first_ever: bool  # her first match ever, and it started in the period: she is new


@dataclass(frozen=True, slots=True)
class Facts:
    """What the builder counts; read by `collect_facts`, or written out by a test."""

    matches: list[MatchFact]  # started in the period
    checkins: list[CheckinFact]  # due in the period
    reached: list[ReachFact]
    groups: list[str]  # the groups the report covers
    active_bydelsmoedre: int
    nobody_free: list[str] = field(default_factory=list)  # one spoken language per "nobody left" alert
    course: CourseCompletion | None = None


@dataclass(frozen=True, slots=True)
class CourseCompletion:
    """Bydelsmødre who finished the course, of those who started it (the course: issue 13, part A)."""

    started: int
    completed: int


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    label: str
    positive: int
    n: int
    reference: float | None  # the 2015 evaluation's figure
    hidden: bool = False  # shown as too few although n is enough: else a hidden group could be worked out

    @property
    def share(self) -> float | None:
        return self.positive / self.n if self.n >= MIN_ANSWERS and not self.hidden else None


@dataclass(frozen=True, slots=True)
class FundersReport:
    period: Period
    scope: str  # a group's name, or "Hele landet"
    women_reached: int
    women_new: int
    languages: list[tuple[str, int]]  # spoken language code, women reached in it; most first
    groups: list[str]
    active_bydelsmoedre: int
    woman_measures: list[Measure]
    bydelsmor_measures: list[Measure]
    course: CourseCompletion | None
    hard_answers: list[Measure]  # shares of the Bydelsmødre's "how is it going" answers
    matches: int
    median_hours_to_match: float | None
    matched_within_a_day: Measure  # a share of the matches, with the same under-5 rule
    nobody_free: list[tuple[str, int]]  # spoken language, times nobody was left to ask; most first


WHOLE_COUNTRY = "Hele landet"


def build(facts: Facts, *, period: Period, scope: str) -> FundersReport:
    """The report's figures from the facts: pure, so every figure can be checked from a table in a test."""
    overall = summarise(facts.matches, facts.checkins)[-1]

    def measures(pairs: tuple[tuple[str, str], ...]) -> list[Measure]:
        return [
            Measure(
                key,
                label,
                *overall.measures[key],
                reference=EVALUATION_2015.get(key),
                hidden=key in overall.suppressed,
            )
            for key, label in pairs
        ]

    scope_answers = _latest_scope_answers(facts.checkins)
    hard = [
        Measure(key, label, sum(a == key for a in scope_answers), len(scope_answers), reference=None)
        for key, label in HARD_ANSWERS
    ]
    hours = [m.hours_to_match for m in facts.matches]
    women = {r.woman: r for r in facts.reached}
    languages = Counter(r.language for r in women.values())
    new = {r.woman for r in facts.reached if r.first_ever}
    return FundersReport(
        period=period,
        scope=scope,
        women_reached=len(women),
        women_new=len(new),
        languages=sorted(languages.items(), key=lambda item: (-item[1], item[0])),
        groups=sorted(facts.groups),
        active_bydelsmoedre=facts.active_bydelsmoedre,
        woman_measures=measures(WOMAN_MEASURES),
        bydelsmor_measures=measures(BYDELSMOR_MEASURES),
        course=facts.course,
        hard_answers=hard,
        matches=len(hours),
        median_hours_to_match=statistics.median(hours) if hours else None,
        matched_within_a_day=Measure(
            "matched_within_a_day",
            "Fik en Bydelsmor inden for et døgn",
            sum(h <= 24 for h in hours),
            len(hours),
            reference=None,
        ),
        nobody_free=sorted(Counter(facts.nobody_free).items(), key=lambda item: (-item[1], item[0])),
    )


def _latest_scope_answers(checkins: list[CheckinFact]) -> list[str]:
    """Each Bydelsmor's latest answer to "how is it going with her?" per match, as the measures count."""
    latest: dict[tuple[str, str, str], tuple[datetime, str]] = {}
    for c in checkins:
        answer = c.answers.get("scope")
        if c.audience != "bydelsmor" or answer is None:
            continue
        key = (c.who, c.group, c.language)
        due = c.due or datetime.min
        if key not in latest or due >= latest[key][0]:
            latest[key] = (due, answer)
    return [answer for _, answer in latest.values()]


async def course_completion(session: AsyncSession, *, groups: list[str]) -> CourseCompletion | None:
    """Bydelsmødre of these groups who started the course (bot.course), and who finished all its lessons.

    None when nobody in them has started it yet: the report then says so instead of "0 of 0".
    """
    rows = (
        await session.execute(
            select(CourseProgress.status)
            .join(Volunteer, Volunteer.id == CourseProgress.volunteer_id)
            .join(Group, Group.id == Volunteer.group_id)
            .where(Group.name.in_(groups))
        )
    ).scalars()
    statuses = list(rows)
    if not statuses:
        return None
    return CourseCompletion(started=len(statuses), completed=sum(status == "finished" for status in statuses))


async def collect_facts(
    session: AsyncSession, *, groups: list[str] | None, start: datetime, end: datetime
) -> Facts:
    """The facts for [start, end) and these groups (None: the whole country, women of no group included).

    Reads only the columns it counts, as `bot.report.collect` does."""
    matches, checkins = await collect(session, group=None, since=start)
    wanted = None if groups is None else set(groups)

    def ours(name: str) -> bool:
        return wanted is None or name in wanted

    matches = [m for m in matches if ours(m.group) and m.started is not None and m.started < end]
    checkins = [c for c in checkins if ours(c.group) and c.due is not None and c.due < end]
    group_names = {int(i): str(n) for i, n in (await session.execute(select(Group.id, Group.name))).all()}
    request_rows = (
        await session.execute(select(HelpRequest.id, HelpRequest.group_id, HelpRequest.spoken_language))
    ).all()
    requests = {int(i): (group_names.get(g or 0, "no group"), str(lang)) for i, g, lang in request_rows}
    first_match: dict[int, datetime] = {}
    reached: list[ReachFact] = []
    match_rows = (
        await session.execute(
            select(Match.person_id, Match.request_id, Match.started_at, Match.ended_at).order_by(
                Match.started_at
            )
        )
    ).all()
    for person_id, request_id, started, ended in match_rows:
        first_match.setdefault(int(person_id), started)
        if started >= end or (ended is not None and ended < start):
            continue
        name, language = requests.get(int(request_id), ("no group", "?"))
        if not ours(name):
            continue
        reached.append(
            ReachFact(
                woman=str(person_id),
                group=name,
                language=language,
                started=started,
                first_ever=first_match[int(person_id)] == started and started >= start,
            )
        )
    volunteer_rows = (await session.execute(select(Volunteer.group_id, Volunteer.active))).all()
    active = sum(1 for g, on in volunteer_rows if on and ours(group_names.get(g or 0, "no group")))
    alert_rows = (
        await session.execute(
            select(Alert.group_id, HelpRequest.spoken_language)
            .join(HelpRequest, HelpRequest.id == Alert.request_id)
            .where(Alert.kind == "nobody_left", Alert.created_at >= start, Alert.created_at < end)
        )
    ).all()
    nobody_free = [str(lang) for g, lang in alert_rows if ours(group_names.get(g or 0, "no group"))]
    covered = sorted(wanted) if wanted is not None else sorted(group_names.values())
    return Facts(
        matches=matches,
        checkins=checkins,
        reached=reached,
        groups=covered,
        active_bydelsmoedre=active,
        nobody_free=nobody_free,
        course=await course_completion(session, groups=covered),
    )
