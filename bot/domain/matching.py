"""Which Bydelsmødre can take a woman's request, and in what order they are asked.

Hard rules first: she speaks the woman's language, is active, not paused, has room this month, was not
already offered this request, and lives within reach. Among those left, the woman's own local group comes
first, because the group is where she will meet her Bydelsmor and the other women afterwards. Distance then
counts in 5 km bands (up to 5 km, up to 10 km, ...), because 2.1 km and 3.4 km are equally near by bus or
bike: within a band the lower share of capacity used, then the least recently offered decide, so the work is
spread fairly instead of always falling on whoever lives closest. Unknown distance sorts after known.

Pure: no I/O, `today` is passed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["BAND_KM", "Candidate", "Need", "Ranked", "Ranking", "Reason", "haversine_km", "rank"]

EARTH_RADIUS_KM = 6371.0088
BAND_KM = 5.0
_UNKNOWN_BAND = 1 << 30  # after every known band

# own group (0) or not (1), distance band, share of capacity used, ever offered, last offered, id
_Key = tuple[int, int, float, bool, datetime | None, int]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One Bydelsmor as matching sees her."""

    volunteer_id: int
    spoken_languages: frozenset[str]  # ISO 639 codes, e.g. {"so", "ar"}; Dari is "prs", Kurmanji "kmr"
    latitude: float | None  # her postcode's point (None if unknown)
    longitude: float | None
    group_id: int | None  # her local group
    load_this_month: int  # new women she accepted this calendar month
    capacity_per_month: int  # how many she said she can take (0 = none now)
    paused_until: date | None  # paused up to and including this date
    active: bool
    last_offered_at: datetime | None  # the last time any offer was sent to her (fairness)


@dataclass(frozen=True, slots=True)
class Need:
    """A woman's request as matching sees it."""

    spoken_language: str
    latitude: float | None
    longitude: float | None
    group_id: int | None  # her local group (from the poster she came from, or her postcode)
    excluded: frozenset[int] = frozenset()  # Bydelsmødre already offered this request (declined/expired)


@dataclass(frozen=True, slots=True)
class Reason:
    """Ranked: "speaks", "distance_km", "same_group", "load", "last_offered".
    Excluded: "no_language", "inactive", "paused", "full", "already_offered", "too_far"."""

    code: str
    value: str  # human-readable, e.g. "so", "3.2", "1/3", "2026-03-01"


@dataclass(frozen=True, slots=True)
class Ranked:
    volunteer_id: int
    distance_km: float | None
    reasons: tuple[Reason, ...]  # why she is where she is in the ranking


@dataclass(frozen=True, slots=True)
class Ranking:
    ranked: tuple[Ranked, ...]  # eligible, best first
    excluded: tuple[tuple[int, Reason], ...]  # everyone else, with the one reason that excluded her


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def rank(
    need: Need, candidates: Iterable[Candidate], *, today: date, max_distance_km: float = 60.0
) -> Ranking:
    """Split the candidates into the eligible, best first, and the excluded, each with one reason."""
    language = need.spoken_language
    offered = need.excluded
    group = need.group_id
    lat, lon = need.latitude, need.longitude
    # Reasons without a per-candidate value are shared, not allocated per candidate.
    no_language = Reason("no_language", language)
    inactive = Reason("inactive", "")
    already_offered = Reason("already_offered", "")

    excluded: list[tuple[int, Reason]] = []
    eligible: list[tuple[_Key, Candidate, float | None]] = []
    for c in candidates:
        # Cheapest and most selective first: most Bydelsmødre do not speak her language.
        if language not in c.spoken_languages:
            excluded.append((c.volunteer_id, no_language))
            continue
        if not c.active:
            excluded.append((c.volunteer_id, inactive))
            continue
        if c.paused_until is not None and c.paused_until >= today:
            excluded.append((c.volunteer_id, Reason("paused", c.paused_until.isoformat())))
            continue
        load, capacity = c.load_this_month, c.capacity_per_month
        if load >= capacity or capacity <= 0:
            excluded.append((c.volunteer_id, Reason("full", f"{load}/{capacity}")))
            continue
        if c.volunteer_id in offered:
            excluded.append((c.volunteer_id, already_offered))
            continue
        distance: float | None = None
        band = _UNKNOWN_BAND
        if lat is not None and lon is not None and c.latitude is not None and c.longitude is not None:
            distance = haversine_km(lat, lon, c.latitude, c.longitude)
            if distance > max_distance_km:
                excluded.append((c.volunteer_id, Reason("too_far", f"{distance:.1f}")))
                continue
            band = max(1, math.ceil(distance / BAND_KM))  # 0 km (same postcode) is in the first band
        last = c.last_offered_at
        key = (
            0 if group is not None and c.group_id == group else 1,
            band,
            load / capacity,
            last is not None,  # never offered first
            last,  # compared only between two that were both offered
            c.volunteer_id,
        )
        eligible.append((key, c, distance))

    eligible.sort(key=lambda item: item[0])
    ranked = tuple(_explain(c, distance, language, group) for _key, c, distance in eligible)
    return Ranking(ranked=ranked, excluded=tuple(excluded))


def _explain(c: Candidate, distance: float | None, language: str, group: int | None) -> Ranked:
    last = c.last_offered_at
    reasons = [
        Reason("speaks", language),
        Reason("distance_km", "unknown" if distance is None else f"{distance:.1f}"),
    ]
    if group is not None and c.group_id == group:
        reasons.append(Reason("same_group", str(group)))
    reasons.append(Reason("load", f"{c.load_this_month}/{c.capacity_per_month}"))
    reasons.append(Reason("last_offered", "never" if last is None else last.date().isoformat()))
    return Ranked(volunteer_id=c.volunteer_id, distance_km=distance, reasons=tuple(reasons))
