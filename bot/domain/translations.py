"""Rules for a Bydelsmor's suggested translation. No I/O."""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["SuggestionStatus", "missing_parts", "parts_to_keep"]

_PLACEHOLDER = re.compile(r"\{\w+\}")
_COMMAND = re.compile(r"(?<![\w/])/[a-z]+")
MAX_SUGGESTION = 1000


class SuggestionStatus(StrEnum):
    PENDING = "pending"  # waiting for a coordinator
    APPROVED = "approved"  # in use, on top of the catalog
    REJECTED = "rejected"  # a coordinator said no; kept so the same text is not asked about again


def parts_to_keep(source: str) -> list[str]:
    """The {placeholders} and /commands a translation must contain unchanged."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(source) + _COMMAND.findall(source)))


def missing_parts(source: str, suggestion: str) -> list[str]:
    return [part for part in parts_to_keep(source) if part not in suggestion]


def extra_placeholders(source: str, suggestion: str) -> list[str]:
    """Placeholders a suggestion adds: they would break the text when it is filled in."""
    allowed = set(_PLACEHOLDER.findall(source))
    return [part for part in _PLACEHOLDER.findall(suggestion) if part not in allowed]
