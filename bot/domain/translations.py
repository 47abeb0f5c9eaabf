"""Rules for a Bydelsmor's suggested translation. No I/O."""

from __future__ import annotations

import hashlib
import re
import string
from enum import StrEnum

__all__ = [
    "COMMAND",
    "SuggestionStatus",
    "fits",
    "missing_parts",
    "parts_to_keep",
    "text_key",
]

_PLACEHOLDER = re.compile(r"\{\w+\}")
# A /command in a text; not one already isolated for right-to-left display (U+2068 before it).
COMMAND = re.compile(r"(?<![\w/\u2068])/[a-z]+")
MAX_SUGGESTION = 1000


class SuggestionStatus(StrEnum):
    PENDING = "pending"  # waiting for a coordinator
    APPROVED = "approved"  # in use, on top of the catalog
    REJECTED = "rejected"  # a coordinator said no; kept so the same text is not asked about again


def text_key(source: str) -> str:
    """A short, stable name for an English text: a position in the template changes between releases."""
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def parts_to_keep(source: str) -> list[str]:
    """The {placeholders} and /commands a translation must contain unchanged."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(source) + COMMAND.findall(source)))


def fits(source: str, translation: str) -> bool:
    """True when the translation can stand in for the source wherever the bot uses it.

    Its fields are plain names the source also has (a lone "{" or "{0}" would break every message of the
    language), and it is not much longer (buttons and the bot's short description have hard limits).
    """
    try:
        fields = [
            (name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(translation)
        ]
    except ValueError:
        return False
    allowed = {name for _, name, _, _ in string.Formatter().parse(source) if name}
    for name, spec, conversion in fields:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            return False
    return len(translation) <= max(2 * len(source) + 20, 40) and not missing_parts(source, translation)


def missing_parts(source: str, suggestion: str) -> list[str]:
    return [part for part in parts_to_keep(source) if part not in suggestion]
