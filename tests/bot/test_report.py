"""The report's figures: shares with their counts, hidden under five answers, beside the 2015 evaluation."""

from bot.report import CheckinFact, MatchFact, render_csv, render_text, summarise


def answered(better: str, courage: str = "yes", *, who: str) -> CheckinFact:
    return CheckinFact(
        group="Gellerup", language="so", audience="woman", sent=True, answered=True,
        answers={"better": better, "courage": courage}, who=who,
    )  # fmt: skip


def test_shares_by_group_language_and_overall() -> None:
    matches = [MatchFact("Gellerup", "so", hours) for hours in (2, 4, 30)] + [
        MatchFact("Vollsmose", "ar", 10)
    ]
    checkins = [answered("better", who=f"w{n}") for n in range(4)]
    checkins += [answered("worse", "little", who="w4"), answered("same", "no", who="w5")]
    lines = summarise(matches, checkins)
    overall = lines[-1]
    assert (overall.group, overall.matches, overall.median_hours_to_match) == ("all", 4, 7.0)
    assert overall.measures["woman_better"] == (4, 6)
    assert overall.measures["woman_courage"] == (5, 6)  # "yes" and "a little" both count as gained
    text = render_text(lines)
    assert "women: better since the last talk: 67% (n=6)   (2015 evaluation: 89%)" in text
    assert "Vollsmose · ar" in text


def test_fewer_than_five_answers_are_not_shown() -> None:
    lines = summarise([], [answered("better", who=f"w{n}") for n in range(4)])
    assert "women: better since the last talk: too few to show (n=4)" in render_text(lines)
    assert "woman_better,too few to show,,4,0.89" in render_csv(lines)


def test_each_woman_counts_once_by_her_latest_answer() -> None:
    from datetime import UTC, datetime

    early = CheckinFact(
        "G", "so", "woman", True, True, {"better": "worse"}, who="w1", due=datetime(2026, 1, 1, tzinfo=UTC)
    )
    later = CheckinFact(
        "G", "so", "woman", True, True, {"better": "better"}, who="w1", due=datetime(2026, 2, 1, tzinfo=UTC)
    )
    final = CheckinFact("G", "so", "woman", True, True, {"better": "worse"}, who="w1", kind="final")
    [line, _overall] = summarise([], [early, later, final])
    assert line.measures["woman_better"] == (1, 1)


def test_a_hidden_small_group_cannot_be_worked_out_from_the_total() -> None:
    big = [CheckinFact("A", "so", "woman", True, True, {"better": "better"}, who=f"a{n}") for n in range(6)]
    small = [CheckinFact("B", "so", "woman", True, True, {"better": "worse"}, who=f"b{n}") for n in range(2)]
    lines = summarise([], big + small)
    assert "woman_better" in lines[-1].suppressed
    assert "women: better since the last talk: too few to show   (2015" in render_text(lines)
