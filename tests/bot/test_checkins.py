"""Claiming due check-ins: each one by one claimer only, never more than a batch at once, two processes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from bot.checkins.service import BATCH, claim_due
from bot.domain.checkins import CheckinStatus
from storage.db import Database
from storage.models import Checkin
from tests.conftest import Clock


async def due_checkins(database: Database, clock: Clock, count: int) -> list[int]:
    async with database.transaction() as session:
        await session.execute(
            insert(Checkin),
            [
                {"chat_id": 1000 + n, "audience": "woman", "kind": "followup", "questions": ["better"],
                 "due_at": clock() - timedelta(minutes=1), "status": CheckinStatus.SCHEDULED, "answers": {},
                 "awaiting_comment": False, "created_at": clock()}
                for n in range(count)
            ],
        )  # fmt: skip
        return sorted((await session.execute(select(Checkin.id))).scalars())


async def test_two_claimers_at_once_take_each_check_in_once_and_never_more_than_a_batch(
    database: Database, clock: Clock
) -> None:
    """Two bot processes' ticks: SKIP LOCKED on PostgreSQL, one writer at a time on SQLite."""
    ids = await due_checkins(database, clock, 2 * BATCH + BATCH // 2)
    claims: list[list[int]] = []

    async def claimer() -> None:
        while True:
            async with database.transaction() as session:
                claimed = await claim_due(session, now=clock())
                await asyncio.sleep(0.01)  # the claim is held (its rows locked) while the other claims
            if not claimed:
                return
            claims.append([checkin.id for checkin in claimed])

    await asyncio.gather(claimer(), claimer())

    taken = sorted(checkin_id for claim in claims for checkin_id in claim)
    assert taken == ids  # every due check-in, each once
    assert max(len(claim) for claim in claims) <= BATCH


async def test_a_claim_while_another_holds_its_rows_takes_other_rows_without_waiting(
    database: Database, clock: Clock
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's: SQLite lets one writer at a time hold the whole database")
    ids = await due_checkins(database, clock, 100)
    async with database.transaction() as first:
        held = await claim_due(first, now=clock(), batch=40)
        async with database.transaction() as second:
            meanwhile = await asyncio.wait_for(claim_due(second, now=clock(), batch=40), timeout=5)
            rest = await asyncio.wait_for(claim_due(second, now=clock(), batch=40), timeout=5)

    assert len(held) == len(meanwhile) == 40 and len(rest) == 20
    assert sorted(c.id for c in (*held, *meanwhile, *rest)) == ids  # none twice, none left behind
    async with database.transaction() as session:
        statuses = set((await session.execute(select(Checkin.status))).scalars())
    assert statuses == {CheckinStatus.SENT}
