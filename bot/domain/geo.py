"""Danish postcodes: recognise what a woman types, and map a shared location to the nearest postcode."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Postcode", "PostcodeDirectory", "PostcodeInput", "haversine_km", "read_postcode"]

EARTH_RADIUS_KM = 6371.0088
# A shared location further than this from every Danish postcode point is not in Denmark.
MAX_DISTANCE_KM = 25.0


@dataclass(frozen=True, slots=True)
class Postcode:
    code: str  # four digits, e.g. "8220"
    place: str  # the post town, e.g. "Brabrand"
    municipality: str
    latitude: float
    longitude: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))  # rounding may push a past 1


@dataclass(frozen=True, slots=True)
class PostcodeInput:
    """What we read from a typed answer: every group of four digits in it, or why there is none."""

    candidates: tuple[str, ...]
    problem: str | None  # None | "no_digits" | "wrong_length" | "too_long"

    @property
    def digits(self) -> str | None:
        return self.candidates[-1] if self.candidates else None


_DIGITS = str.maketrans(
    # Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits: women type postcodes with them.
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "01234567890123456789",
)
_MAX_ANSWER = 60


def read_postcode(text: str) -> PostcodeInput:
    """Pick a postcode out of an answer such as "8220", "DK-8220 Brabrand" or "٨٢٢٠"."""
    if len(text) > _MAX_ANSWER:
        return PostcodeInput((), "too_long")
    normalised = text.translate(_DIGITS)
    if re.fullmatch(r"[\d\s]+", normalised):
        # "82 20" is a postcode typed with a space, not two numbers.
        normalised = re.sub(r"\s", "", normalised)
    groups = re.findall(r"\d+", normalised)
    if not groups:
        return PostcodeInput((), "no_digits")
    four = tuple(g for g in groups if len(g) == 4)
    if four:
        return PostcodeInput(four, None)
    return PostcodeInput((), "wrong_length")


class PostcodeDirectory:
    """All Danish postcodes, loaded once from the CSV that ships with the bot (GeoNames, CC BY 4.0)."""

    def __init__(self, postcodes: list[Postcode]) -> None:
        self._by_code = {p.code: p for p in postcodes}
        self._all = tuple(postcodes)

    @classmethod
    @cache
    def bundled(cls) -> PostcodeDirectory:
        with resources.files("bot.data").joinpath("postcodes_dk.csv").open(encoding="utf-8") as handle:
            rows = [
                Postcode(
                    code=row["postcode"],
                    place=row["name"],
                    municipality=row["municipality_name"],
                    latitude=float(row["lat"]),
                    longitude=float(row["lon"]),
                )
                for row in csv.DictReader(handle)
            ]
        return cls(rows)

    def __len__(self) -> int:
        return len(self._all)

    def get(self, code: str) -> Postcode | None:
        return self._by_code.get(code)

    def nearest(self, latitude: float, longitude: float) -> Postcode | None:
        """The postcode whose point is nearest, or None when the place is not in Denmark."""
        best = min(self._all, key=lambda p: haversine_km(latitude, longitude, p.latitude, p.longitude))
        if haversine_km(latitude, longitude, best.latitude, best.longitude) > MAX_DISTANCE_KM:
            return None
        return best
