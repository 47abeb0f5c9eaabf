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
from operator import itemgetter

from bot.domain.geo import haversine_km

__all__ = ["BAND_KM", "Candidate", "Need", "Ranked", "Ranking", "Reason", "haversine_km", "rank"]

BAND_KM = 5.0
_UNKNOWN_BAND = 1 << 30  # after every known band

# own group (0) or not (1), distance band, share of capacity used, ever offered, last offered, id
_Key = tuple[int, int, float, bool, datetime | None, int]
_KEY = itemgetter(0)
_RANKED = itemgetter(1)


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
    Excluded: "inactive", "paused", "full", "already_offered", "too_far" (not speaking her language is
    counted in Ranking.not_speaking, not listed)."""

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
    # Everyone else who speaks her language, with the one reason that excluded her.
    excluded: tuple[tuple[int, Reason], ...]
    # How many do not speak her language: counted, not listed (most of 500 Bydelsmødre, every time).
    not_speaking: int = 0


def rank(
    need: Need, candidates: Iterable[Candidate], *, today: date, max_distance_km: float = 60.0
) -> Ranking:
    """Split the candidates into the eligible, best first, and the excluded (in the order given), each with
    one reason."""
    language = need.spoken_language
    offered = need.excluded
    group = need.group_id
    lat, lon = need.latitude, need.longitude
    # Reasons are shared wherever their value repeats (most Bydelsmødre do not speak her language; many live
    # on the same postcode point, have the same load, were paused to the same date): fewer allocations.
    inactive = Reason("inactive", "")
    already_offered = Reason("already_offered", "")
    speaks = Reason("speaks", language)
    unknown_distance = Reason("distance_km", "unknown")
    same_group = Reason("same_group", str(group))
    never = Reason("last_offered", "never")
    paused: dict[date, Reason] = {}
    full: dict[tuple[int, int], Reason] = {}
    loads: dict[tuple[int, int], Reason] = {}
    days: dict[date, Reason] = {}
    # A postcode point's distance, band, reason and whether it is too far, computed once per point.
    places: dict[tuple[float, float], tuple[float, int, Reason, bool]] = {}

    excluded: list[tuple[int, Reason]] = []
    exclude = excluded.append
    not_speaking = 0
    eligible: list[tuple[_Key, Ranked]] = []
    keep = eligible.append
    for c in candidates:
        # Cheapest and most selective first: most Bydelsmødre do not speak her language.
        if language not in c.spoken_languages:
            not_speaking += 1
            continue
        volunteer_id = c.volunteer_id
        if not c.active:
            exclude((volunteer_id, inactive))
            continue
        until = c.paused_until
        if until is not None and until >= today:
            exclude((volunteer_id, paused.get(until) or paused.setdefault(until, _paused(until))))
            continue
        load, capacity = c.load_this_month, c.capacity_per_month
        if load >= capacity or capacity <= 0:
            exclude((volunteer_id, full.get((load, capacity)) or full.setdefault((load, capacity), _full(c))))
            continue
        if volunteer_id in offered:
            exclude((volunteer_id, already_offered))
            continue
        distance: float | None = None
        band = _UNKNOWN_BAND
        distance_reason = unknown_distance
        if lat is not None and lon is not None and c.latitude is not None and c.longitude is not None:
            point = (c.latitude, c.longitude)
            place = places.get(point)
            if place is None:
                km = haversine_km(lat, lon, c.latitude, c.longitude)
                too_far = km > max_distance_km
                # Bands are rounded up (2.1 and 3.4 km are both "up to 5 km"); 0 km is in the first band too.
                place = places[point] = (
                    km,
                    max(1, math.ceil(km / BAND_KM)),
                    Reason("too_far" if too_far else "distance_km", f"{km:.1f}"),
                    too_far,
                )
            distance, band, distance_reason, too_far = place
            if too_far:
                exclude((volunteer_id, distance_reason))
                continue
        last = c.last_offered_at
        if last is None:
            last_reason = never
        else:
            day = last.date()
            last_reason = days.get(day) or days.setdefault(day, Reason("last_offered", day.isoformat()))
        load_reason = loads.get((load, capacity)) or loads.setdefault((load, capacity), _load(c))
        reasons: tuple[Reason, ...]
        if group is not None and c.group_id == group:
            in_group = 0
            reasons = (speaks, distance_reason, same_group, load_reason, last_reason)
        else:
            in_group = 1
            reasons = (speaks, distance_reason, load_reason, last_reason)
        # Never offered first; `last` is compared only between two who were both offered.
        key = (in_group, band, load / capacity, last is not None, last, volunteer_id)
        keep((key, Ranked(volunteer_id, distance, reasons)))

    eligible.sort(key=_KEY)
    return Ranking(ranked=tuple(map(_RANKED, eligible)), excluded=tuple(excluded), not_speaking=not_speaking)


def _paused(until: date) -> Reason:
    return Reason("paused", until.isoformat())


def _full(c: Candidate) -> Reason:
    return Reason("full", f"{c.load_this_month}/{c.capacity_per_month}")


def _load(c: Candidate) -> Reason:
    return Reason("load", f"{c.load_this_month}/{c.capacity_per_month}")
