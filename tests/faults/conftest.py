"""The fault-injection suite: small counts in `make test`, the full counts with RELIABILITY=full."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.app import SANDBOX_TOKEN
from sandbox.standin import StandIn
from sandbox.web import SandboxServer

FULL = os.environ.get("RELIABILITY") == "full"


@dataclass(frozen=True)
class Scale:
    pairs: int
    messages: int  # each way, per pair
    kills: int
    malformed: int


SCALE = Scale(pairs=20, messages=10, kills=20, malformed=20_000) if FULL else Scale(4, 4, 5, 500)


@pytest.fixture
async def telegram() -> AsyncIterator[SandboxServer]:
    """The stand-in over HTTP, in this process: it outlives the bot processes that are killed."""
    server = SandboxServer(StandIn(token=SANDBOX_TOKEN), host="127.0.0.1", port=0)
    await server.start()
    yield server
    await server.stop()
    await server.standin.aclose()
