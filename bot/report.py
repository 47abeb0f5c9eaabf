"""`python -m bot report`: the evaluation's measures, continuously, per group and language and overall.

Shares are given with their counts (n). A share over fewer than MIN_ANSWERS answers is shown as "too few to
show", so nobody can be recognised from a small group's figures.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Checkin, Group, HelpRequest, Match, Volunteer

__all__ = ["MIN_ANSWERS", "Line", "collect", "render_csv", "render_text", "summarise"]

MIN_ANSWERS = 5
# The 2015 evaluation's figures, side by side with ours.
EVALUATION_2015 = {
    "woman_better": 0.89,  # the women helped are doing better since the last conversation
    "woman_courage": 1.00,  # all women asked gained courage to solve their own problems
    "bydelsmor_network": 0.93,  # Bydelsmødre with a stronger local network
    "bydelsmor_society": 0.92,  # Bydelsmødre with better knowledge of Danish society
}
MEASURES = (
    ("woman_better", "women: better since the last talk"),
    ("woman_courage", "women: more courage to solve own problems"),
    ("woman_network", "women: know more people where they live"),
    ("woman_society", "women: know more about Danish society"),
    ("bydelsmor_network", "Bydelsmødre: stronger network"),
    ("bydelsmor_society", "Bydelsmødre: more knowledge of Danish society"),
    ("bydelsmor_courage", "Bydelsmødre: more courage in own life"),
)


@dataclass(frozen=True, slots=True)
class MatchFact:
    group: str
    language: str
    hours_to_match: float
    started: datetime | None = None


@dataclass(frozen=True, slots=True)
class CheckinFact:
    group: str
    language: str
    audience: str
    sent: bool
    answered: bool
    answers: dict[str, str]
    who: str = ""  # the woman or the Bydelsmor: a measure counts each person once, by her latest answer
    kind: str = "followup"
    due: datetime | None = None


@dataclass
class Line:
    """One row of the report: a group and language (or "all")."""

    group: str
    language: str
    matches: int = 0
    median_hours_to_match: float | None = None
    checkins_sent: int = 0
    checkins_answered: int = 0
    measures: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (positive, n)
    # Shown as "too few to show" although n is large enough: else a hidden small group could be worked out
    # by subtracting the other groups from the total.
    suppressed: set[str] = field(default_factory=set)


def _positive(measure: str, answer: str) -> bool:
    # "Better" counts only "better"; the yes/no questions count "yes" and "a little" as gained.
    return answer == "better" if measure == "better" else answer in ("yes", "little")


def summarise(matches: list[MatchFact], checkins: list[CheckinFact]) -> list[Line]:
    """A line per group and language, then one for all of them. Linear in the facts: each fact is put in its
    group and language's bucket once (a year of the whole organisation is tens of thousands of facts)."""
    match_buckets: dict[tuple[str, str], list[MatchFact]] = {}
    checkin_buckets: dict[tuple[str, str], list[CheckinFact]] = {}
    for m in matches:
        match_buckets.setdefault((m.group, m.language), []).append(m)
    for c in checkins:
        checkin_buckets.setdefault((c.group, c.language), []).append(c)
    keys = sorted(match_buckets.keys() | checkin_buckets.keys())
    lines = [
        _line(
            group,
            language,
            match_buckets.get((group, language), []),
            checkin_buckets.get((group, language), []),
        )
        for group, language in keys
    ]
    lines.append(_line("all", "all", matches, checkins))
    overall = lines[-1]
    for key, _label in MEASURES:
        hidden = sum(n for line in lines[:-1] if 0 < (n := line.measures[key][1]) < MIN_ANSWERS)
        if 0 < hidden < MIN_ANSWERS:
            overall.suppressed.add(key)
    return lines


def _line(group: str, language: str, matches: list[MatchFact], checkins: list[CheckinFact]) -> Line:
    hours = [m.hours_to_match for m in matches]
    line = Line(
        group=group,
        language=language,
        matches=len(hours),
        median_hours_to_match=statistics.median(hours) if hours else None,
        checkins_sent=sum(c.sent for c in checkins),
        checkins_answered=sum(c.answered for c in checkins),
    )
    for key, _label in MEASURES:
        audience, measure = key.split("_", 1)
        latest: dict[str, tuple[datetime | None, str]] = {}
        for c in checkins:
            # "How did it go?" at the end is not "better since the last talk".
            if (
                c.audience != audience
                or measure not in c.answers
                or (measure == "better" and c.kind == "final")
            ):
                continue
            person = c.who or str(id(c))
            if person not in latest or (c.due or datetime.min) >= (latest[person][0] or datetime.min):
                latest[person] = (c.due, c.answers[measure])
        answers = [answer for _, answer in latest.values()]
        line.measures[key] = (sum(_positive(measure, a) for a in answers), len(answers))
    return line


def share(positive: int, n: int) -> str:
    if n < MIN_ANSWERS:
        return f"too few to show (n={n})"
    return f"{positive / n:.0%} (n={n})"


def render_text(lines: list[Line]) -> str:
    out = []
    for line in lines:
        title = "All groups and languages" if line.group == "all" else f"{line.group} · {line.language}"
        median = f"{line.median_hours_to_match:.1f} hours" if line.median_hours_to_match is not None else "–"
        out.append(title)
        out.append(f"  matches made: {line.matches}; median time to a match: {median}")
        out.append(f"  check-ins sent: {line.checkins_sent}; answered: {line.checkins_answered}")
        for key, label in MEASURES:
            positive, n = line.measures[key]
            reference = EVALUATION_2015.get(key)
            also = f"   (2015 evaluation: {reference:.0%})" if reference is not None else ""
            shown = "too few to show" if key in line.suppressed else share(positive, n)
            out.append(f"  {label}: {shown}{also}")
        out.append("")
    return "\n".join(out)


def render_csv(lines: list[Line]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["group", "language", "measure", "value", "positive", "n", "evaluation_2015"])
    for line in lines:
        writer.writerow([line.group, line.language, "matches", line.matches, "", "", ""])
        median = "" if line.median_hours_to_match is None else f"{line.median_hours_to_match:.1f}"
        writer.writerow([line.group, line.language, "median_hours_to_match", median, "", "", ""])
        writer.writerow([line.group, line.language, "checkins_sent", line.checkins_sent, "", "", ""])
        writer.writerow([line.group, line.language, "checkins_answered", line.checkins_answered, "", "", ""])
        for key, _label in MEASURES:
            positive, n = line.measures[key]
            hidden = n < MIN_ANSWERS or key in line.suppressed
            value = "too few to show" if hidden else f"{positive / n:.3f}"
            reference = EVALUATION_2015.get(key)
            writer.writerow(
                [line.group, line.language, key, value, "" if hidden else positive, n, reference or ""]
            )
    return buffer.getvalue()


async def collect(
    session: AsyncSession, *, group: str | None, since: datetime | None
) -> tuple[list[MatchFact], list[CheckinFact]]:
    """The facts behind the report. Only the columns it needs are read (a year of the whole organisation is
    tens of thousands of rows, and whole ORM objects would cost seconds in the bot's event loop)."""
    groups = {int(i): str(name) for i, name in (await session.execute(select(Group.id, Group.name))).all()}
    volunteer_groups = {
        int(i): group_id
        for i, group_id in (await session.execute(select(Volunteer.id, Volunteer.group_id))).all()
    }
    request_rows = await session.execute(
        select(
            HelpRequest.id,
            HelpRequest.group_id,
            HelpRequest.spoken_language,
            HelpRequest.submitted_at,
            HelpRequest.created_at,
        )
    )
    # id -> (group name, spoken language, when she asked)
    requests = {
        int(i): (groups.get(group_id or 0, "no group"), str(language), submitted or created)
        for i, group_id, language, submitted, created in request_rows.all()
    }
    # All matches (a check-in names its match), as id -> request id.
    match_rows = list((await session.execute(select(Match.id, Match.request_id, Match.started_at))).all())
    request_of_match = {int(i): int(request_id) for i, request_id, _ in match_rows}
    facts: list[MatchFact] = []
    for _, request_id, started in match_rows:
        request = requests.get(request_id)
        if request is None or (since is not None and started < since):
            continue
        name, language, asked = request
        if group is not None and name != group:
            continue
        hours = (started - asked).total_seconds() / 3600
        facts.append(
            MatchFact(group=name, language=language, hours_to_match=max(0.0, hours), started=started)
        )
    checkin_facts: list[CheckinFact] = []
    checkin_query = select(
        Checkin.match_id,
        Checkin.person_id,
        Checkin.volunteer_id,
        Checkin.audience,
        Checkin.kind,
        Checkin.sent_at,
        Checkin.answers,
        Checkin.due_at,
    )
    if since is not None:
        checkin_query = checkin_query.where(Checkin.due_at >= since)
    for match_id, person_id, volunteer_id, audience, kind, sent_at, answers, due in (
        await session.execute(checkin_query)
    ).all():
        request = requests.get(request_of_match.get(match_id or 0, 0))
        if request is not None:
            name, language = request[0], request[1]
        else:  # a Bydelsmor's quarterly check-in belongs to her own group
            name = groups.get(volunteer_groups.get(volunteer_id or 0) or 0, "no group")
            language = "all languages"
        if group is not None and name != group:
            continue
        checkin_facts.append(
            CheckinFact(
                group=name,
                language=language,
                audience=audience,
                sent=sent_at is not None,
                answered=sent_at is not None and bool(answers),
                answers=dict(answers or {}),
                who=f"p{person_id}" if person_id else f"v{volunteer_id}",
                kind=kind,
                due=due,
            )
        )
    return facts, checkin_facts
