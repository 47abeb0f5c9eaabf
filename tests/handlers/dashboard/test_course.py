"""The course in the dashboard: each Bydelsmor's progress on the Bydelsmødre page, and a coordinator
replacing a lesson's text in one language (in force at once, audited)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from storage.models import AuditEntry
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in, talked
from tests.harness import WHOLE_STORY_SETTINGS, BotHarness


@pytest.fixture
async def bot(database_url: str, data_key: str, clock: Clock, tmp_path: Path) -> AsyncIterator[BotHarness]:
    settings = {**WHOLE_STORY_SETTINGS, "course": True}
    harness = BotHarness(
        database_url=database_url, data_key=data_key, clock=clock, data_dir=tmp_path, settings=settings
    )
    await harness.start()
    yield harness
    await harness.close()


async def test_the_bydelsmoedre_page_shows_how_far_each_is_in_the_course(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)  # the tick offered Hodan lesson 1
    csrf = await sign_in(client, scene.coordinator)
    page = (await client.get("/bydelsmoedre")).text
    assert '<th scope="col">Course</th>' in page and "0 of 6 lessons" in page

    await scene.hodan.send("/course")
    await scene.hodan.press("▶️ Next lesson now")
    for _ in range(2):
        await scene.hodan.press("Next ›")
    await scene.hodan.press("To the practice question ›")
    await scene.hodan.press("2")
    assert "1 of 6 lessons" in (await client.get("/bydelsmoedre")).text
    await scene.hodan.send("/course")
    await scene.hodan.press("⏸ Pause the course")
    page = (await client.get("/bydelsmoedre")).text
    assert "1 of 6 lessons<br><small>paused</small>" in page
    assert csrf


async def test_a_coordinator_replaces_a_lesson_and_it_is_in_force_at_once(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    csrf = await sign_in(client, scene.coordinator)
    page = (await client.get("/course?language=en")).text
    assert "1. Open questions" in page and "The text from the course file." in page

    too_long = await client.post(
        "/course/1", data={"csrf": csrf, "language": "en", "title": "Asking openly", "screens": "x" * 401}
    )
    assert too_long.status_code == 303, too_long.text
    assert too_long.headers["location"] == "/course?language=en&done=lesson_too_long"
    saved = await client.post(
        "/course/1",
        data={
            "csrf": csrf,
            "language": "en",
            "title": "Asking openly",
            "screens": "Ask what, how, tell me.\r\n---\r\nThen wait: she is thinking.",
        },
    )
    assert saved.headers["location"] == "/course?language=en&done=lesson_replaced"
    page = (await client.get("/course?language=en")).text
    assert "1. Asking openly" in page and "Replaced by" in page
    assert (
        await client.post("/course/1", data={"csrf": csrf, "language": "xx", "title": "a", "screens": "b"})
    ).status_code == 404

    [first] = await scene.hodan.press("▶️ Start the lesson")  # the offer the tick sent earlier
    assert first.text == "📖 Asking openly · 1/2\n\nAsk what, how, tell me."
    [second] = await scene.hodan.press("Next ›")
    assert second.text == "📖 Asking openly · 2/2\n\nThen wait: she is thinking."
    [question] = await scene.hodan.press("To the practice question ›")
    assert "Fatima writes" in (question.text or "")  # the practice question stays the file's

    async with bot.services.db.transaction() as session:
        audited = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "replace_lesson"))
        ).scalar_one()
    assert (audited.subject, audited.detail) == ("lesson:open-questions", "locale=en screens=2")

    restored = await client.post("/course/1/restore", data={"csrf": csrf, "language": "en"})
    assert restored.headers["location"] == "/course?language=en&done=lesson_restored"
    await scene.hodan.send("/course")
    [again] = await scene.hodan.press("▶️ Next lesson now")
    assert "Open questions · 1/3" in (again.text or "")
