"""The fault-injection suite: small counts in `make test`, the full counts with RELIABILITY=full."""

from __future__ import annotations

import os
from dataclasses import dataclass

FULL = os.environ.get("RELIABILITY") == "full"


@dataclass(frozen=True)
class Scale:
    pairs: int
    messages: int  # each way, per pair
    kills: int
    malformed: int


SCALE = Scale(pairs=20, messages=10, kills=20, malformed=20_000) if FULL else Scale(4, 4, 5, 500)
