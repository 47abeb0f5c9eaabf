"""Ids that arrive from outside (button data a client can forge, addresses): read once, checked once."""

from __future__ import annotations

import re

__all__ = ["LARGEST_ID", "record_id"]

LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's limit (2**63 - 1) is larger
_DIGITS = re.compile(r"[1-9][0-9]{0,9}")  # ASCII only: str.isdecimal() also takes "٣" and "３"


def record_id(text: str) -> int | None:
    """The id of a stored row, or None when `text` cannot be one (so it is answered like an unknown id).

    A number outside 1..2**31-1 never reaches a query: PostgreSQL refuses it as an integer and SQLite
    overflows at 2**63, and either would be an error instead of the usual "no longer open".
    """
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= LARGEST_ID else None
