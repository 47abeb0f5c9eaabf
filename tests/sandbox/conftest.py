"""Fixtures for the sandbox tests: a fresh stand-in, a PTB bot connected to it, an HTTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram

from sandbox.ptb_request import StandInRequest
from sandbox.standin import StandIn
from sandbox.web import SandboxServer


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    fake = StandIn()
    yield fake
    await fake.aclose()


@pytest.fixture
async def bot(standin: StandIn) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        standin.token, request=StandInRequest(standin), get_updates_request=StandInRequest(standin)
    ) as connected:
        yield connected


@pytest.fixture
async def server(standin: StandIn) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(standin, port=0) as running:
        yield running
