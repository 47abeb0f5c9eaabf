"""Danger alerts in the dashboard: their kind and language, a coordinator's "false alarm" or "right", and
per language the share of false alarms on the outcomes page (counts only, never her words)."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from storage.models import Alert
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in, talked
from tests.handlers.dashboard.test_pages import audit_rows, other_group
from tests.handlers.test_matching import NOW
from tests.harness import BotHarness


async def verdicts(bot: BotHarness) -> list[str | None]:
    async with bot.services.db.transaction() as session:
        return [a.verdict for a in (await session.execute(select(Alert).order_by(Alert.id))).scalars()]


async def test_a_danger_alert_shows_its_kind_and_can_be_marked_a_false_alarm_or_right(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await scene.woman.send("He hits me, I am afraid")
    csrf = await sign_in(client, scene.coordinator)
    page = (await client.get("/")).text
    assert "<strong>Violence or threats at home</strong> (English) · #1 Brabrand" in page
    assert 'action="/alerts/1/judge"' in page and "False alarm" in page and "Right to alert" in page

    forged = await client.post("/alerts/1/judge", data={"csrf": "forged", "verdict": "false_alarm"})
    assert forged.status_code == 403 and await verdicts(bot) == [None]
    assert (await client.post("/alerts/1/judge", data={"csrf": csrf, "verdict": "maybe"})).status_code == 404

    judged = await client.post("/alerts/1/judge", data={"csrf": csrf, "verdict": "false_alarm"})
    assert judged.headers["location"] == "/?done=alert_judged"
    page = (await client.get("/?done=alert_judged")).text
    assert "Thank you. Your judgement helps improve the danger words." in page
    assert "Marked as a false alarm." in page and "Right to alert" in page  # she may change her mind
    await client.post("/alerts/1/judge", data={"csrf": csrf, "verdict": "right"})
    assert await verdicts(bot) == ["right"]
    judged_rows = [row for row in await audit_rows(bot) if row[0] == "judge_alert"]
    assert judged_rows == [
        ("judge_alert", "alert:1", "violence en false_alarm"),
        ("judge_alert", "alert:1", "violence en right"),
    ]


async def test_another_groups_coordinator_cannot_judge_an_alert(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await scene.woman.send("He hits me, I am afraid")
    sara = await other_group(bot)
    csrf = await sign_in(client, sara)
    refused = await client.post("/alerts/1/judge", data={"csrf": csrf, "verdict": "false_alarm"})
    assert refused.status_code == 404
    assert await verdicts(bot) == [None]
    assert ("denied", "alert:1") in [(action, subject) for action, subject, _ in await audit_rows(bot)]


async def test_the_outcomes_show_the_share_of_false_alarms_per_language_with_too_few_hidden(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await other_group(bot)
    judged = [("en", "false_alarm")] * 4 + [("en", "right"), ("so", "false_alarm"), ("so", "right")]
    async with bot.services.db.transaction() as session:
        for language, verdict in judged:
            session.add(
                Alert(group_id=1, kind="safety", danger_kind="violence", danger_language=language,
                      verdict=verdict, created_at=NOW)
            )  # fmt: skip
        session.add(
            Alert(group_id=1, kind="safety", danger_kind="acute", danger_language="tr", created_at=NOW)
        )
        # Another group's verdicts are not hers to see.
        session.add(
            Alert(group_id=2, kind="safety", danger_kind="violence", danger_language="ar",
                  verdict="false_alarm", created_at=NOW)
        )  # fmt: skip
    await sign_in(client, scene.coordinator)
    page = (await client.get("/outcomes")).text
    section = page[page.index("Danger alerts marked as false alarms") :]
    assert '<th scope="row">English</th>\n  <td>5</td>\n  <td>80&#8239;%</td>' in section
    assert '<th scope="row">Somali</th>\n  <td>2</td>\n  <td>too few to show</td>' in section
    assert "Arabic" not in section and "Turkish" not in section  # other group; not judged
