"""Two bot processes on one PostgreSQL in webhook mode, Telegram's pushes alternating between them (as a load
balancer in front of them would): while pairs write to each other, both processes' ticks find check-ins and
expired offers due at once.

Counts: relayed messages lost or delivered more than once, check-ins asked more or less than once, offers
sent more or less than once, and updates never handled. All must be 0 but duplicated relayed messages, which
a lost answer from Telegram can cause (docs/architecture.md, "What can still arrive twice"); here nothing is
lost on the way, so they must be 0 too.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.checkins import CheckinStatus
from sandbox.standin import StandIn
from sandbox.web import SandboxServer
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.models import Checkin, Offer, Volunteer
from tests.faults.botprocess import BotProcess, free_port
from tests.faults.conftest import SCALE
from tests.faults.scenario import REAL_LOOKING_TOKEN, Conversation

WAITING = 3  # women whose offers went unanswered: each expired offer is passed to the next Bydelsmor
CHECKIN = re.compile(r"\bci:(\d+):")
OFFER = re.compile(r"\boffer:yes:(\d+)\b")
WERE_ASKED = {CheckinStatus.SENT, CheckinStatus.REMINDED, CheckinStatus.ANSWERED, CheckinStatus.UNANSWERED}


def sent_by_id(standin: StandIn, pattern: re.Pattern[str]) -> Counter[tuple[int, int]]:
    """How many messages that reached Telegram carried the buttons of each check-in (or offer): by
    (chat, id). Counted from the calls, as later edits take the buttons away."""
    found: Counter[tuple[int, int]] = Counter()
    for call in standin.calls("sendMessage"):
        markup = call.params.get("reply_markup")
        if not call.ok or markup is None:
            continue
        text = markup if isinstance(markup, str) else json.dumps(markup)
        for number in set(pattern.findall(text)):
            found[(int(call.params["chat_id"]), int(number))] += 1
    return found


@dataclass
class Asked:
    checkins: int = 0  # asked (once each, or counted below)
    offers: int = 0
    wrong: int = 0  # check-ins or offers asked more than once, or never though they should have been
    still_due: int = 0  # check-ins due when the processes started that nobody asked
    problems: list[str] = field(default_factory=list)  # what was wrong, by ids and statuses


async def asked_once(
    standin: StandIn, database_url: str, data_key: str, *, due_by: datetime, within: float
) -> Asked:
    """Every check-in and offer against the messages people got, once the bot has sent them all.

    A check-in the processes' tick added itself (a quarterly one, due at once) is asked at the next tick, a
    minute later: it counts if it was asked twice, not if it is still waiting."""
    db = Database(create_engine(database_url), FieldCipher(data_key))
    result = Asked()
    try:
        for _ in range(int(within / 0.5)):
            async with db.transaction() as session:
                checkins = list((await session.execute(select(Checkin))).scalars())
                offers = list((await session.execute(select(Offer))).scalars())
                chats = {
                    v.id: v.telegram_user_id for v in (await session.execute(select(Volunteer))).scalars()
                }
            result = Asked()
            checkins_sent, offers_sent = sent_by_id(standin, CHECKIN), sent_by_id(standin, OFFER)
            for checkin in checkins:
                times = checkins_sent[(checkin.chat_id, checkin.id)]
                result.checkins += times
                due = checkin.due_at.replace(tzinfo=checkin.due_at.tzinfo or UTC)
                overdue = checkin.status == CheckinStatus.SCHEDULED and due <= due_by
                if times != (1 if checkin.status in WERE_ASKED else 0) or overdue:
                    result.wrong += times != (1 if checkin.status in WERE_ASKED else 0)
                    result.still_due += overdue
                    result.problems.append(
                        f"check-in {checkin.id} ({checkin.audience} {checkin.kind}, {checkin.status},"
                        f" due {due:%Y-%m-%d}) asked {times} times"
                    )
            for offer in offers:
                times = offers_sent[(chats[offer.volunteer_id], offer.id)]
                result.offers += times
                if times != 1:
                    result.wrong += 1
                    result.problems.append(f"offer {offer.id} ({offer.status}) sent {times} times")
            if (result.wrong, result.still_due) == (0, 0):
                break
            await asyncio.sleep(0.5)
        return result
    finally:
        await db.dispose()


async def test_two_processes_behind_alternating_webhook_pushes_do_everything_once(
    telegram: SandboxServer, database_url: str, data_key: str, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("two bot processes need PostgreSQL (one process per SQLite file); set TEST_DATABASE_URL")
    standin = telegram.standin
    talk = Conversation(standin)
    await talk.match(
        database_url=database_url,
        data_key=data_key,
        folder=tmp_path,
        pairs=SCALE.pairs,
        messages=SCALE.messages,
        waiting=WAITING,
    )
    started = datetime.now(UTC)
    bots = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        bots.append(
            BotProcess(
                standin=standin,
                api_url=telegram.url,
                token=REAL_LOOKING_TOKEN,
                database_url=database_url,
                data_key=data_key,
                folder=folder,
                webhook_port=free_port(),
            )
        )
    standin.webhook_targets = [bot.webhook_url for bot in bots]
    await asyncio.gather(*(bot.start() for bot in bots))  # both ticks find the same check-ins and offers due
    await talk.write_all(over_seconds=max(3.0, len(talk.sent) / 20))
    await talk.delivered()
    once = await asked_once(standin, database_url, data_key, due_by=started, within=30.0)
    for bot in bots:
        assert await bot.stop() == 0
    lost, duplicated, unhandled = await talk.counts(database_url=database_url, data_key=data_key)
    pushes = [standin.webhook_pushes.count(bot.webhook_url) for bot in bots]
    print(
        f"\nreliability: 2 processes on one PostgreSQL, webhook pushes alternating"
        f" ({pushes[0]} + {pushes[1]}), {len(talk.sent)} messages (seed {talk.seed}):"
        f" lost {lost}, duplicated {duplicated}, unhandled {unhandled};"
        f" {once.checkins} check-ins asked, {once.offers} offers sent ({WAITING} expired);"
        f" not exactly once {once.wrong}, still due {once.still_due}"
    )
    print("\n".join(once.problems))
    assert min(pushes) >= len(talk.sent) // 2 - 1  # both processes took their share
    assert (lost, duplicated, unhandled, once.wrong, once.still_due) == (0, 0, 0, 0, 0)
