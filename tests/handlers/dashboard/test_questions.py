"""The dashboard's "Questions" page: a Bydelsmor's open questions, answered with a form."""

from __future__ import annotations

import httpx

from tests.handlers.dashboard.conftest import sign_in
from tests.handlers.dashboard.test_pages import audit_rows, other_group
from tests.handlers.test_matching import bydelsmor, set_up_group
from tests.harness import BotHarness


async def test_a_question_is_answered_in_the_dashboard_and_reaches_her_in_the_bot(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await hodan.send("/help")
    await hodan.press("Ask my coordinator")
    await hodan.send("Can I meet her at the library?")

    csrf = await sign_in(client, coordinator)
    page = (await client.get("/questions")).text
    assert "Hodan" in page and "Can I meet her at the library?" in page

    empty = await client.post("/questions/1/answer", data={"csrf": csrf, "answer": "  "})
    assert empty.headers["location"] == "/questions?done=empty_answer"
    sent = await client.post(
        "/questions/1/answer", data={"csrf": csrf, "answer": "Yes, that is a good place."}
    )
    assert sent.status_code == 303
    await bot.send_outbox()
    assert hodan.last.text == "💬 Your coordinator answers:\n\nYes, that is a good place."
    after = await client.get(sent.headers["location"])
    assert "Your answer was sent to the Bydelsmor in the bot." in after.text
    assert "Can I meet her at the library?" not in after.text  # answered: no longer open
    rows = await audit_rows(bot)
    assert ("view_questions", "questions:1", "") in rows and ("answer_question", "question:1", "") in rows

    twice = await client.post("/questions/1/answer", data={"csrf": csrf, "answer": "Again"})
    assert twice.headers["location"] == "/questions?done=already_answered"


async def test_another_groups_coordinator_neither_sees_nor_answers_the_question(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    await set_up_group(bot)
    sara = await other_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    await hodan.send("/help")
    await hodan.press("Ask my coordinator")
    await hodan.send("A question for Gellerup only")

    csrf = await sign_in(client, sara)
    assert "A question for Gellerup only" not in (await client.get("/questions")).text
    refused = await client.post("/questions/1/answer", data={"csrf": csrf, "answer": "Hi"})
    assert refused.status_code == 404
    assert (await client.get("/media/question/1")).status_code == 404
