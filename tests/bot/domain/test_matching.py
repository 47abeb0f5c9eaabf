from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.matching import Candidate, Need, Ranking, Reason, haversine_km, rank

TODAY = date(2026, 3, 10)

# Postcode points as in bot/data/postcodes_dk.csv.
BRABRAND = (56.1578, 10.1092)  # 8220 Brabrand (Gellerup)
AARHUS_V = (56.1712, 10.1605)  # 8210 Aarhus V, 3.5 km from Brabrand
VIBY_J = (56.1284, 10.1421)  # 8260 Viby J, 3.9 km from Brabrand
AARHUS_C = (56.1535, 10.2034)  # 8000 Aarhus C, 5.9 km from Brabrand
KBH_N = (55.6948, 12.5503)  # 2200 København N (Nørrebro)
KBH_NV = (55.7086, 12.5263)  # 2400 København NV, 2.2 km from Nørrebro
ROSKILDE = (55.6513, 12.0958)  # 4000 Roskilde, 28.9 km from Nørrebro
ODENSE_SO = (55.3727, 10.4601)  # 5220 Odense SØ (Vollsmose), 90 km from Brabrand
AALBORG = (57.0394, 9.9135)  # 9000 Aalborg, 98.8 km from Brabrand

GELLERUP_GROUP = 1
AARHUS_C_GROUP = 2
NORREBRO_GROUP = 10

Point = tuple[float, float] | None


def bydelsmor(
    volunteer_id: int,
    at: Point,
    *,
    speaks: str = "so",
    group: int | None = None,
    load: int = 0,
    capacity: int = 3,
    paused_until: date | None = None,
    active: bool = True,
    last_offered: datetime | None = None,
) -> Candidate:
    return Candidate(
        volunteer_id=volunteer_id,
        spoken_languages=frozenset(speaks.split()),
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        group_id=group,
        load_this_month=load,
        capacity_per_month=capacity,
        paused_until=paused_until,
        active=active,
        last_offered_at=last_offered,
    )


def woman(
    at: Point, *, speaks: str = "so", group: int | None = None, offered: frozenset[int] = frozenset()
) -> Need:
    return Need(
        spoken_language=speaks,
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        group_id=group,
        excluded=offered,
    )


def order(ranking: Ranking) -> list[int]:
    return [r.volunteer_id for r in ranking.ranked]


def excluded(ranking: Ranking) -> dict[int, tuple[str, str]]:
    return {vid: (reason.code, reason.value) for vid, reason in ranking.excluded}


def on(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 30, tzinfo=UTC)


def test_the_distances_between_the_postcode_points() -> None:
    assert haversine_km(*BRABRAND, *BRABRAND) == 0.0
    assert haversine_km(*BRABRAND, *AARHUS_V) == pytest.approx(3.51, abs=0.01)
    assert haversine_km(*BRABRAND, *AARHUS_C) == pytest.approx(5.85, abs=0.01)
    assert haversine_km(*KBH_N, *KBH_NV) == pytest.approx(2.15, abs=0.01)
    assert haversine_km(*KBH_N, *BRABRAND) == pytest.approx(160.5, abs=0.1)


def test_the_right_language_nearby_beats_the_right_language_further_away() -> None:
    # The one further away is less loaded and was never offered: the nearer band still comes first.
    near = bydelsmor(1, VIBY_J, load=2, capacity=3, last_offered=on(9))
    further = bydelsmor(2, AARHUS_C, load=0, capacity=3)
    ranking = rank(woman(BRABRAND), [further, near], today=TODAY)
    assert order(ranking) == [1, 2]
    assert ranking.excluded == ()


def test_the_wrong_language_next_door_is_excluded() -> None:
    # Dari and Persian are kept apart: a Persian speaker on the same street is not a match for a Dari speaker.
    ranking = rank(
        woman(KBH_N, speaks="prs"),
        [bydelsmor(1, KBH_N, speaks="fa ar"), bydelsmor(2, ROSKILDE, speaks="prs fa")],
        today=TODAY,
    )
    assert order(ranking) == [2]
    assert excluded(ranking) == {}  # not listed one by one: most Bydelsmødre do not speak her language
    assert ranking.not_speaking == 1


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (bydelsmor(5, AARHUS_V, paused_until=TODAY), ("paused", "2026-03-10")),  # up to and including today
        (bydelsmor(5, AARHUS_V, paused_until=date(2026, 4, 1)), ("paused", "2026-04-01")),
        (bydelsmor(5, AARHUS_V, active=False), ("inactive", "")),
        (bydelsmor(5, AARHUS_V, load=3, capacity=3), ("full", "3/3")),
        (bydelsmor(5, AARHUS_V, load=4, capacity=3), ("full", "4/3")),  # she lowered her capacity since
        (bydelsmor(5, AARHUS_V, load=0, capacity=0), ("full", "0/0")),  # no room now
        (bydelsmor(7, AARHUS_V), ("already_offered", "")),
        (bydelsmor(5, AALBORG), ("too_far", "98.8")),
        (bydelsmor(5, ODENSE_SO), ("too_far", "90.0")),
        # Several rules fail: only the first is given.
        (bydelsmor(5, AARHUS_V, active=False, load=3), ("inactive", "")),
    ],
)
def test_each_hard_rule_excludes_her_with_its_reason(candidate: Candidate, reason: tuple[str, str]) -> None:
    ranking = rank(woman(BRABRAND, offered=frozenset({7})), [candidate], today=TODAY)
    assert ranking.ranked == ()
    assert excluded(ranking) == {candidate.volunteer_id: reason}


@pytest.mark.parametrize(
    "candidate",
    [
        bydelsmor(5, AARHUS_V, paused_until=TODAY - timedelta(days=1)),  # her pause ended yesterday
        bydelsmor(5, AARHUS_V, load=2, capacity=3),
        bydelsmor(5, AARHUS_V, speaks="ar so"),
        bydelsmor(5, AARHUS_V, last_offered=on(9)),
    ],
)
def test_just_inside_the_hard_rules_she_is_eligible(candidate: Candidate) -> None:
    ranking = rank(woman(BRABRAND, offered=frozenset({7})), [candidate], today=TODAY)
    assert order(ranking) == [5]


def test_the_distance_limit_can_be_widened() -> None:
    candidates = [bydelsmor(1, ODENSE_SO), bydelsmor(2, AALBORG)]
    assert order(rank(woman(BRABRAND), candidates, today=TODAY)) == []
    assert order(rank(woman(BRABRAND), candidates, today=TODAY, max_distance_km=95)) == [1]
    assert order(rank(woman(BRABRAND), candidates, today=TODAY, max_distance_km=120)) == [1, 2]


def test_her_own_group_comes_first_even_if_a_bit_further() -> None:
    next_door = bydelsmor(1, BRABRAND, group=AARHUS_C_GROUP)
    own_group = bydelsmor(2, AARHUS_C, group=GELLERUP_GROUP, load=2, capacity=3, last_offered=on(9))
    assert order(rank(woman(BRABRAND, group=GELLERUP_GROUP), [next_door, own_group], today=TODAY)) == [2, 1]
    # Without her group, the nearer band decides.
    assert order(rank(woman(BRABRAND), [next_door, own_group], today=TODAY)) == [1, 2]


def test_her_own_group_does_not_bring_in_someone_too_far() -> None:
    in_group_far_away = bydelsmor(1, AALBORG, group=GELLERUP_GROUP)
    ranking = rank(woman(BRABRAND, group=GELLERUP_GROUP), [in_group_far_away], today=TODAY)
    assert excluded(ranking) == {1: ("too_far", "98.8")}


@pytest.mark.parametrize(
    ("same_street", "across_town", "expected"),
    [
        # Brabrand itself (0 km) and Aarhus V (3.5 km) are in the same 5 km band:
        # the lower share of capacity used goes first ...
        (bydelsmor(1, BRABRAND, load=2), bydelsmor(2, AARHUS_V, load=0), [2, 1]),
        (bydelsmor(1, BRABRAND, load=1, capacity=4), bydelsmor(2, AARHUS_V, load=1, capacity=2), [1, 2]),
        # ... then, at the same share, the one offered least recently (never offered first) ...
        (
            bydelsmor(1, BRABRAND, load=1, capacity=2, last_offered=on(8)),
            bydelsmor(2, AARHUS_V, load=2, capacity=4, last_offered=on(2)),
            [2, 1],
        ),
        (bydelsmor(1, BRABRAND, last_offered=on(2)), bydelsmor(2, AARHUS_V), [2, 1]),
        # ... then the volunteer id, for a stable order.
        (bydelsmor(1, BRABRAND, last_offered=on(2)), bydelsmor(2, AARHUS_V, last_offered=on(2)), [1, 2]),
        (bydelsmor(1, BRABRAND), bydelsmor(2, AARHUS_V), [1, 2]),
    ],
)
def test_within_a_band_load_then_fairness_decide(
    same_street: Candidate, across_town: Candidate, expected: list[int]
) -> None:
    candidates = [same_street, across_town]
    assert order(rank(woman(BRABRAND), candidates, today=TODAY)) == expected
    assert order(rank(woman(BRABRAND), candidates[::-1], today=TODAY)) == expected


def test_the_next_band_comes_after_even_when_less_loaded() -> None:
    candidates = [
        bydelsmor(1, AARHUS_C, load=0, capacity=5),  # 5.9 km: the 5-10 km band
        bydelsmor(2, AARHUS_V, load=2, capacity=3, last_offered=on(9)),  # 3.5 km
        bydelsmor(3, VIBY_J, load=1, capacity=3),  # 3.9 km
    ]
    assert order(rank(woman(BRABRAND), candidates, today=TODAY)) == [3, 2, 1]


def test_without_her_postcode_language_group_and_load_decide() -> None:
    candidates = [
        bydelsmor(1, KBH_NV, load=1, capacity=2),
        bydelsmor(2, AALBORG, load=0, capacity=2, last_offered=on(1)),
        bydelsmor(3, ODENSE_SO, group=NORREBRO_GROUP, load=2, capacity=3),
        bydelsmor(4, None, load=0, capacity=2),
        bydelsmor(5, KBH_N, speaks="ar"),
    ]
    ranking = rank(woman(None, group=NORREBRO_GROUP), candidates, today=TODAY)
    assert order(ranking) == [3, 4, 2, 1]
    assert all(r.distance_km is None for r in ranking.ranked)
    assert excluded(ranking) == {}
    assert ranking.not_speaking == 1


def test_a_bydelsmor_without_a_postcode_comes_after_those_with_a_known_distance() -> None:
    candidates = [bydelsmor(1, None), bydelsmor(2, ROSKILDE, load=2, capacity=3, last_offered=on(9))]
    ranking = rank(woman(KBH_N), candidates, today=TODAY)
    assert order(ranking) == [2, 1]
    assert [r.distance_km is None for r in ranking.ranked] == [False, True]


def test_the_reasons_for_the_first_are_readable() -> None:
    candidates = [
        bydelsmor(1, AARHUS_V, speaks="so ar", group=GELLERUP_GROUP, load=1, capacity=3),
        bydelsmor(2, BRABRAND, load=2, capacity=3, last_offered=on(3)),
    ]
    ranking = rank(woman(BRABRAND, group=GELLERUP_GROUP), candidates, today=TODAY)
    first, second = ranking.ranked
    assert first.volunteer_id == 1
    assert first.distance_km == pytest.approx(3.51, abs=0.01)
    assert first.reasons == (
        Reason("speaks", "so"),
        Reason("distance_km", "3.5"),
        Reason("same_group", "1"),
        Reason("load", "1/3"),
        Reason("last_offered", "never"),
    )
    assert second.reasons == (
        Reason("speaks", "so"),
        Reason("distance_km", "0.0"),
        Reason("load", "2/3"),
        Reason("last_offered", "2026-03-03"),
    )


def test_an_unknown_distance_reads_as_unknown() -> None:
    (only,) = rank(woman(None), [bydelsmor(1, AARHUS_V)], today=TODAY).ranked
    assert Reason("distance_km", "unknown") in only.reasons


def test_everyone_is_either_ranked_or_excluded_once() -> None:
    candidates = [
        bydelsmor(1, KBH_N),
        bydelsmor(2, KBH_NV, speaks="ar"),
        bydelsmor(3, ROSKILDE, active=False),
        bydelsmor(4, KBH_NV, paused_until=date(2026, 3, 31)),
        bydelsmor(5, KBH_N, load=2, capacity=2),
        bydelsmor(6, KBH_NV),
        bydelsmor(7, BRABRAND),
        bydelsmor(8, ROSKILDE),
    ]
    ranking = rank(woman(KBH_N, offered=frozenset({6})), iter(candidates), today=TODAY)
    assert order(ranking) == [1, 8]
    assert ranking.not_speaking == 1
    assert excluded(ranking) == {
        3: ("inactive", ""),
        4: ("paused", "2026-03-31"),
        5: ("full", "2/2"),
        6: ("already_offered", ""),
        7: ("too_far", "160.5"),
    }
    assert [vid for vid, _ in ranking.excluded] == [3, 4, 5, 6, 7]  # in the order given


def test_no_candidates_no_ranking() -> None:
    assert rank(woman(BRABRAND), [], today=TODAY) == Ranking(ranked=(), excluded=())


def test_without_her_group_nobody_is_in_the_same_group() -> None:
    candidates = [bydelsmor(1, AARHUS_V), bydelsmor(2, BRABRAND, group=GELLERUP_GROUP)]
    ranking = rank(woman(BRABRAND), candidates, today=TODAY)
    assert order(ranking) == [1, 2]
    assert all(reason.code != "same_group" for r in ranking.ranked for reason in r.reasons)
