"""The report's figures: shares with their counts, hidden under five answers, beside the 2015 evaluation."""

from bot.report import CheckinFact, MatchFact, render_csv, render_text, summarise


def answered(better: str, courage: str = "yes") -> CheckinFact:
    return CheckinFact(
        group="Gellerup", language="so", audience="woman", sent=True, answered=True,
        answers={"better": better, "courage": courage},
    )  # fmt: skip


def test_shares_by_group_language_and_overall() -> None:
    matches = [MatchFact("Gellerup", "so", hours) for hours in (2, 4, 30)] + [
        MatchFact("Vollsmose", "ar", 10)
    ]
    checkins = [answered("better")] * 4 + [answered("worse", "little")] + [answered("same", "no")]
    lines = summarise(matches, checkins)
    overall = lines[-1]
    assert (overall.group, overall.matches, overall.median_hours_to_match) == ("all", 4, 7.0)
    assert overall.measures["woman_better"] == (4, 6)
    assert overall.measures["woman_courage"] == (5, 6)  # "yes" and "a little" both count as gained
    text = render_text(lines)
    assert "women: better since the last talk: 67% (n=6)   (2015 evaluation: 89%)" in text
    assert "Vollsmose · ar" in text


def test_fewer_than_five_answers_are_not_shown() -> None:
    lines = summarise([], [answered("better")] * 4)
    assert "women: better since the last talk: too few to show (n=4)" in render_text(lines)
    assert "woman_better,too few to show,,4,0.89" in render_csv(lines)
