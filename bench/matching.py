"""How fast is ranking the Bydelsmødre for one woman's request? `python -m bench.matching`.

Builds 10,000 Bydelsmødre speaking 1-3 of 54 languages, spread over the real Danish postcode points, and
1,000 requests, and times `rank()` for each request: the median, p99 and max time, how many were eligible on
average, and the peak memory of the process. Two spreads of languages: uniform (each language about as common
as any other) and skewed (a few languages common and most rare, as in practice: a request in the most common
language leaves the most Bydelsmødre to weigh and sort, the slow case). Python's garbage collector runs as
usual; the time it spent inside the timed calls is also shown apart. Deterministic (seeded). Not a test:
numbers vary with the machine.
"""

from __future__ import annotations

import csv
import gc
import random
import resource
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from importlib import resources

from bot.domain.matching import Candidate, Need, rank

SEED = 20260310
CANDIDATES = 10_000
NEEDS = 1_000
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

# 54 ISO 639 codes, the most common first in the skewed spread.
_CODES = (
    "ar so tr prs fa ur pa ta ckb kmr ps ti am uk ru pl ro bg lt vi th zh fil es fr de en sq bs sr hr sw "
    "hi bn si ne tl id ms ha yo ig om lv et hu cs sk el it pt nl ku mk"
)
LANGUAGES = _CODES.split()
SPREADS = {
    "uniform": [1.0] * len(LANGUAGES),
    # 1/rank: Arabic is the first language of 22% and spoken by a third; the last few by well under 1%.
    "skewed": [1 / (i + 1) for i in range(len(LANGUAGES))],
}


def postcode_points() -> list[tuple[float, float, int]]:
    """(latitude, longitude, municipality code) of every row of the bundled postcode list."""
    text = resources.files("bot.data").joinpath("postcodes_dk.csv").read_text(encoding="utf-8")
    return [
        (float(row["lat"]), float(row["lon"]), int(row["municipality_code"]))
        for row in csv.DictReader(text.splitlines())
    ]


def build(rng: random.Random, weights: list[float]) -> tuple[list[Candidate], list[Need]]:
    points = postcode_points()
    candidates = []
    for volunteer_id in range(1, CANDIDATES + 1):
        languages = frozenset(rng.choices(LANGUAGES, weights, k=rng.choice((1, 1, 2, 2, 3))))
        lat, lon, municipality = rng.choice(points)
        known = rng.random() > 0.05  # a few without a postcode
        paused = rng.random() < 0.15
        offered = rng.random() < 0.6
        candidates.append(
            Candidate(
                volunteer_id=volunteer_id,
                spoken_languages=languages,
                latitude=lat if known else None,
                longitude=lon if known else None,
                group_id=municipality if rng.random() > 0.1 else None,
                load_this_month=rng.randint(0, 5),
                capacity_per_month=rng.randint(1, 5),
                paused_until=TODAY + timedelta(days=rng.randint(-30, 30)) if paused else None,
                active=rng.random() > 0.05,
                last_offered_at=NOW - timedelta(minutes=rng.randint(1, 90 * 24 * 60)) if offered else None,
            )
        )
    needs = []
    for _ in range(NEEDS):
        lat, lon, municipality = rng.choice(points)
        known = rng.random() > 0.15  # some women give no postcode
        needs.append(
            Need(
                spoken_language=rng.choices(LANGUAGES, weights)[0],
                latitude=lat if known else None,
                longitude=lon if known else None,
                group_id=municipality if rng.random() > 0.2 else None,
                excluded=frozenset(rng.sample(range(1, CANDIDATES + 1), rng.randint(0, 3))),
            )
        )
    return candidates, needs


class CollectorClock:
    """Adds up the time Python's garbage collector spends, through gc.callbacks."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def summary(timings: list[float]) -> str:
    timings = sorted(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    return f"median {ms(statistics.median(timings))}, p99 {ms(p99)}, max {ms(timings[-1])}"


def run(spread: str, collector: CollectorClock) -> None:
    candidates, needs = build(random.Random(SEED), SPREADS[spread])
    timings, without_collector, eligible = [], [], []
    for need in needs:
        collected = collector.total
        begin = time.perf_counter()
        ranking = rank(need, candidates, today=TODAY)
        took = time.perf_counter() - begin
        timings.append(took)
        without_collector.append(took - (collector.total - collected))
        eligible.append(len(ranking.ranked))
        assert len(ranking.ranked) + len(ranking.excluded) + ranking.not_speaking == CANDIDATES
    print(f"{spread} spread: {NEEDS} rankings of {CANDIDATES} Bydelsmødre over {len(LANGUAGES)} languages")
    print(f"  {summary(timings)}")
    print(f"  without the garbage collector's pauses: {summary(without_collector)}")
    print(
        f"  eligible per request: mean {statistics.mean(eligible):.1f}, "
        f"median {statistics.median(eligible):.0f}, max {max(eligible)}"
    )


def main() -> None:
    collector = CollectorClock()
    gc.callbacks.append(collector)
    for spread in SPREADS:
        run(spread, collector)
    gc.callbacks.remove(collector)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
