"""The funders' figures from written-out facts: counts, shares beside the 2015 figures, and under five
answers "for få svar til at vise", in the page, the CSV and the JSON alike."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.funders.figures import CourseCompletion, Facts, Period, ReachFact, build, course_completion
from bot.funders.render import render_article, render_csv, render_html, render_json
from bot.report import CheckinFact, MatchFact
from storage.db import Database
from storage.models import CourseProgress, Group, Volunteer

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
DAY = datetime(2026, 3, 1, 10, tzinfo=UTC)


def woman_answers(answers: list[str], measure: str = "better") -> list[CheckinFact]:
    return [
        CheckinFact("Gellerup", "so", "woman", True, True, {measure: a}, who=f"w{n}", due=DAY)
        for n, a in enumerate(answers)
    ]


def scope_answers(answers: list[str]) -> list[CheckinFact]:
    return [
        CheckinFact(
            "Gellerup", "so", "bydelsmor", True, True, {"scope": a}, who=f"v{n}", kind="scope", due=DAY
        )
        for n, a in enumerate(answers)
    ]


def facts(checkins: list[CheckinFact], **more: object) -> Facts:
    values: dict[str, object] = {
        "matches": [],
        "checkins": checkins,
        "reached": [],
        "groups": ["Gellerup"],
        "active_bydelsmoedre": 4,
    }
    values.update(more)
    return Facts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answers", "share", "n"),
    [
        (["better"] * 5, 1.0, 5),
        (["better"] * 4 + ["worse"], 0.8, 5),
        (["better", "same", "worse", "better", "better", "better", "better", "better"], 0.75, 8),
        (["better"] * 4, None, 4),  # under five: not shown
        ([], None, 0),
    ],
)
def test_better_since_the_last_talk(answers: list[str], share: float | None, n: int) -> None:
    report = build(facts(woman_answers(answers)), period=PERIOD, scope="Gellerup")
    better = report.woman_measures[0]
    assert (better.key, better.share, better.n, better.reference) == ("woman_better", share, n, 0.89)


@pytest.mark.parametrize(
    ("measure", "answers", "share"),
    [
        ("courage", ["yes", "little", "no", "yes", "yes"], 0.8),  # "a little" counts as gained
        ("network", ["no"] * 5, 0.0),
        ("society", ["yes"] * 3, None),
    ],
)
def test_courage_network_and_knowledge_of_society(
    measure: str, answers: list[str], share: float | None
) -> None:
    report = build(facts(woman_answers(answers, measure)), period=PERIOD, scope="Gellerup")
    found = next(m for m in report.woman_measures if m.key == f"woman_{measure}")
    assert (found.share, found.n) == (share, len(answers))


def test_who_was_reached_counts_each_woman_once_and_the_new_ones() -> None:
    reached = [
        ReachFact("1", "Gellerup", "so", DAY, first_ever=True),
        ReachFact("1", "Gellerup", "so", DAY + timedelta(days=9), first_ever=False),  # a second Bydelsmor
        ReachFact("2", "Gellerup", "ar", DAY, first_ever=False),  # talking since last year
        ReachFact("3", "Vollsmose", "ar", DAY, first_ever=True),
    ]
    report = build(facts([], reached=reached), period=PERIOD, scope="Hele landet")
    assert (report.women_reached, report.women_new) == (3, 2)
    assert report.languages == [("ar", 2), ("so", 1)]
    assert report.active_bydelsmoedre == 4


def test_the_hard_parts_shares_of_too_much_and_professional_and_waiting() -> None:
    matches = [MatchFact("Gellerup", "so", hours) for hours in (2, 10, 20, 30, 100)]
    scope = scope_answers(["yes", "yes", "too_much", "professional", "too_much", "yes"])
    report = build(
        facts(scope, matches=matches, nobody_free=["ti", "ti", "ps"]), period=PERIOD, scope="Gellerup"
    )
    too_much, professional = report.hard_answers
    assert (too_much.share, professional.share, too_much.n) == (2 / 6, 1 / 6, 6)
    assert report.median_hours_to_match == 20
    assert (report.matched_within_a_day.share, report.matched_within_a_day.n) == (0.6, 5)
    assert report.nobody_free == [("ti", 2), ("ps", 1)]


def test_the_bydelsmoedres_own_answers_and_the_course_hook() -> None:
    answers = [
        CheckinFact("Gellerup", "all languages", "bydelsmor", True, True,
                    {"network": "yes", "society": "yes", "courage": "no"}, who=f"v{n}", kind="quarterly")
        for n in range(5)
    ]  # fmt: skip
    report = build(facts(answers), period=PERIOD, scope="Gellerup")
    network, society, courage = report.bydelsmor_measures
    assert (network.share, network.reference, society.reference, courage.share) == (1.0, 0.93, 0.92, 0.0)
    assert report.course is None
    assert "Kurset for Bydelsmødre: intet kursus endnu." in render_article(report)
    finished = build(
        facts(answers, course=CourseCompletion(started=8, completed=6)), period=PERIOD, scope="G"
    )
    assert "6 af 8 Bydelsmødre har gennemført kurset" in render_article(finished)


def test_under_five_answers_the_page_the_csv_and_the_json_say_too_few() -> None:
    report = build(facts(woman_answers(["worse"] * 3)), period=PERIOD, scope="Gellerup")
    page = render_html(report)
    assert page.startswith("<!doctype html>") and '<html lang="da">' in page
    assert "Har det bedre siden sidste samtale</th><td class='num'>for få svar til at vise</td>" in page
    assert "@page { size: A4;" in page and page.count("<svg") == 2
    assert "2026-01-01,2026-06-30,Gellerup,women,woman_better,for få svar til at vise,3,0.89" in render_csv(
        report
    )
    document = json.loads(render_json(report))
    assert document["figures"]["women"]["woman_better"] == {
        "value": "for få svar til at vise",
        "n": 3,
        "evaluation_2015": 0.89,
    }
    assert "0.0" not in json.dumps(document["figures"]["women"])  # no hidden share leaks as a number


def test_a_shown_share_is_the_same_in_all_three() -> None:
    report = build(facts(woman_answers(["better"] * 9 + ["same"])), period=PERIOD, scope="Gellerup")
    assert "<td class='num'>90 %</td><td class='num'>10</td><td class='num'>89 %</td>" in render_article(
        report
    )
    assert ",women,woman_better,0.9,10,0.89" in render_csv(report)
    assert json.loads(render_json(report))["figures"]["women"]["woman_better"]["value"] == 0.9


async def test_course_completion_counts_who_started_and_who_finished_in_the_groups_asked(
    database: Database,
) -> None:
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    async with database.transaction() as session:
        gellerup = Group(name="Gellerup", slug="gellerup", postcodes=["8220"], created_at=now)
        session.add(gellerup)
        await session.flush()
        for number, status in enumerate(("finished", "scheduled", "finished")):
            volunteer = Volunteer(
                telegram_user_id=500 + number,
                display_name=f"V{number}",
                spoken_languages=["so"],
                capacity_per_month=3,
                active=True,
                group_id=gellerup.id,
                created_at=now,
            )
            session.add(volunteer)
            await session.flush()
            session.add(
                CourseProgress(
                    volunteer_id=volunteer.id,
                    lessons_done=6 if status == "finished" else 2,
                    status=status,
                    practice_answers={},
                    started_at=now,
                    updated_at=now,
                )
            )
    async with database.transaction() as session:
        assert await course_completion(session, groups=["Gellerup"]) == CourseCompletion(
            started=3, completed=2
        )
        assert await course_completion(session, groups=["Aarhus Vest"]) is None  # nobody started there
