"""The relay when things go wrong: held messages, forged and stale buttons."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.relay.service import RelayMessage
from storage import matching as store
from storage.models import Match, MessageLog, Volunteer
from tests.handlers.test_matching import bydelsmor, matched_pair, set_up_group
from tests.harness import BotHarness, Phone

PHOTO = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x08"


async def two_women(bot: BotHarness) -> tuple[Phone, Phone, Phone]:
    """Hodan talks with two women and has chosen neither: a message without "Reply" is held."""
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    first = await matched_pair(bot, hodan, postcode="8220")
    second = await matched_pair(bot, hodan, postcode="8210")
    await first.send("Hello from the first")
    await second.send("Hello from the second")
    return hodan, first, second


async def logged(bot: BotHarness) -> list[tuple[str, str, str | None]]:
    """What the coordinators' log holds: (sender, kind, the decrypted content), oldest first."""
    cipher = bot.services.db.cipher
    async with bot.services.db.transaction() as session:
        entries = (await session.execute(select(MessageLog).order_by(MessageLog.id))).scalars()
        return [
            (
                entry.sender,
                entry.kind,
                cipher.decrypt(entry.content_encrypted) if entry.content_encrypted else None,
            )
            for entry in entries
        ]


async def volunteer_rows(bot: BotHarness) -> str:
    """Every column of every volunteer row, as the database holds it."""
    async with bot.services.db.transaction() as session:
        rows = (await session.execute(text("SELECT * FROM volunteers"))).all()
    return repr([tuple(row) for row in rows])


def file_id(update: dict[str, Any]) -> str:
    message = update["message"]
    media = message["voice"] if "voice" in message else message["photo"][-1]
    return str(media["file_id"])


async def test_a_held_text_is_delivered_to_the_chosen_woman_and_logged_with_its_words(
    bot: BotHarness,
) -> None:
    hodan, _, second = await two_women(bot)
    before = second.last.message_id
    [question] = await hodan.send("See you at the library at ten")
    assert "Who is this message for?" in (question.text or "")
    assert "See you at the library at ten" not in await volunteer_rows(bot)

    [switched] = await hodan.press("#2 Aarhus V")
    assert "Your messages now go to #2 Aarhus V." in (switched.text or "")
    assert [m.text for m in bot.inbox(second.user_id, after=before)] == ["See you at the library at ten"]
    assert (await logged(bot))[-1] == ("bydelsmor", "text", "See you at the library at ten")


async def test_a_held_voice_note_is_delivered_and_the_next_press_works_too(bot: BotHarness) -> None:
    hodan, first, second = await two_women(bot)
    update = await bot.standin.send_voice(hodan.user_id, b"OggS-hodan", 4)
    await bot.process_pending()
    voice = file_id(update)
    assert "Who is this message for?" in (hodan.last.text or "")
    assert voice not in await volunteer_rows(bot)

    before = second.last.message_id
    await hodan.press("#2 Aarhus V")
    assert [m.kind for m in bot.inbox(second.user_id, after=before)] == ["voice"]
    assert (await logged(bot))[-1] == ("bydelsmor", "voice", voice)

    await hodan.send("/switch")  # the buttons keep working
    before_first = first.last.message_id
    await hodan.press("#1 Brabrand")
    await hodan.send("And you too")
    assert [m.text for m in bot.inbox(first.user_id, after=before_first)] == ["And you too"]


async def test_a_held_photo_is_delivered_and_logged_by_its_file_id(bot: BotHarness) -> None:
    hodan, first, _ = await two_women(bot)
    update = await bot.standin.send_photo(hodan.user_id, PHOTO, caption="The letter")
    await bot.process_pending()
    photo = file_id(update)
    rows = await volunteer_rows(bot)
    assert photo not in rows and "The letter" not in rows

    before = first.last.message_id
    await hodan.press("#1 Brabrand")
    [copy] = bot.inbox(first.user_id, after=before)
    assert copy.kind == "photo" and copy.caption == "The letter"
    assert (await logged(bot))[-1] == ("bydelsmor", "photo", photo)


async def test_three_held_messages_arrive_in_the_order_she_wrote_them(bot: BotHarness) -> None:
    hodan, first, second = await two_women(bot)
    await hodan.send("One")
    voice_update = await bot.standin.send_voice(hodan.user_id, b"OggS-two", 2)
    await bot.process_pending()
    await hodan.send("Three")
    rows = await volunteer_rows(bot)
    assert "One" not in rows and "Three" not in rows and file_id(voice_update) not in rows

    before_first, before_second = first.last.message_id, second.last.message_id
    await hodan.press("#1 Brabrand")
    assert [(m.kind, m.text) for m in bot.inbox(first.user_id, after=before_first)] == [
        ("text", "One"),
        ("voice", None),
        ("text", "Three"),
    ]
    assert bot.inbox(second.user_id, after=before_second) == []
    assert (await logged(bot))[-3:] == [
        ("bydelsmor", "text", "One"),
        ("bydelsmor", "voice", file_id(voice_update)),
        ("bydelsmor", "text", "Three"),
    ]
    async with bot.services.db.transaction() as session:
        [hodan_row] = (await session.execute(select(Volunteer))).scalars()
    assert hodan_row.pending_messages_encrypted is None  # nothing waits any more
    await hodan.press("#2 Aarhus V")  # an older question's button: nothing is sent twice
    assert bot.inbox(second.user_id, after=before_second) == []


async def test_a_held_message_she_corrects_is_sent_and_logged_as_corrected(bot: BotHarness) -> None:
    hodan, first, _ = await two_women(bot)
    sent = await bot.standin.send_text(hodan.user_id, "See you at 10")
    await bot.process_pending()
    await bot.standin.edit_text(hodan.user_id, sent["message"]["message_id"], "See you at 11")
    await bot.process_pending()
    before = first.last.message_id
    await hodan.press("#1 Brabrand")
    assert [m.text for m in bot.inbox(first.user_id, after=before)] == ["See you at 11"]
    assert (await logged(bot))[-1] == ("bydelsmor", "text", "See you at 11")


# --- forged button data -------------------------------------------------------------------------------

# Out of range for PostgreSQL's integer (2**31), for SQLite (2**63), not a number, or not ASCII digits.
FORGED_IDS = ("2147483648", "999999999999", "9223372036854775808", "1" * 40, "0", "-1", "٣", "")


async def one_match(bot: BotHarness) -> tuple[Phone, Phone]:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    return hodan, woman


async def answer_to(phone: Phone, data: str) -> str | None:
    """Press forged data: the bot answers with a notice only (no message, no "something went wrong")."""
    assert await phone.press_forged(data) == []
    return phone.answers()[-1]


async def test_forged_ids_in_every_button_get_the_usual_no_longer_open(bot: BotHarness) -> None:
    hodan, woman = await one_match(bot)
    closed_request = "This request is no longer open. Thank you!"
    expired = "This button is no longer active."
    closed_question = "This question is closed. Thank you!"
    for template, presser, expected in (
        ("offer:yes:{id}", hodan, closed_request),
        ("offer:no:{id}", hodan, closed_request),
        ("route:{id}", hodan, closed_request),
        ("switch:{id}", hodan, closed_request),
        ("end:{id}:too_much", hodan, expired),
        ("end:{id}:another", woman, expired),
        ("ci:{id}:better:worse", woman, closed_question),
        ("ci:{id}:scope:too_much", hodan, closed_question),
    ):
        unknown = await answer_to(presser, template.format(id="2147483647"))  # the largest id there can be
        assert unknown == expected, template
        for forged in FORGED_IDS:
            assert await answer_to(presser, template.format(id=forged)) == expected, (template, forged)
    async with bot.services.db.transaction() as session:
        [match] = (await session.execute(select(Match))).scalars()
    assert match.status == "active"


async def test_end_answers_the_same_whether_the_match_is_missing_ended_or_someone_elses(
    bot: BotHarness,
) -> None:
    hodan, woman = await one_match(bot)
    fadumo = await bydelsmor(bot, "Fadumo", "so,en", "8220")
    other_woman = await matched_pair(bot, fadumo)
    async with bot.services.db.transaction() as session:
        matches = {m.volunteer_id: m.id for m in (await session.execute(select(Match))).scalars()}
        volunteers = {v.display_name: v.id for v in (await session.execute(select(Volunteer))).scalars()}
    hodans, fadumos = matches[volunteers["Hodan"]], matches[volunteers["Fadumo"]]
    await fadumo.send("/end")
    before_other_woman, before_fadumo = other_woman.last.message_id, fadumo.last.message_id

    answers = {
        name: await answer_to(presser, f"end:{match_id}:{reason}")
        for name, presser, match_id, reason in (
            ("missing", hodan, 4242, "better"),
            ("out of range", hodan, "99999999999", "better"),
            ("someone else's active", hodan, fadumos, "better"),
            ("someone else's, as her woman", woman, fadumos, "another"),
            ("someone else's, cancel", hodan, fadumos, "cancel"),
        )
    }
    assert set(answers.values()) == {"This button is no longer active."}, answers
    assert bot.inbox(other_woman.user_id, after=before_other_woman) == []
    assert bot.inbox(fadumo.user_id, after=before_fadumo) == []

    await fadumo.press("She is doing better")  # Fadumo ends her own: now it is someone else's ended match
    assert await answer_to(hodan, f"end:{fadumos}:better") == "This button is no longer active."
    async with bot.services.db.transaction() as session:
        statuses = {m.id: m.status for m in (await session.execute(select(Match))).scalars()}
    assert statuses == {hodans: "active", fadumos: "ended"}


async def test_two_women_writing_to_one_bydelsmor_at_once_each_keep_their_own_label(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL several workers handle updates at once. Two women's messages to the same Bydelsmor
    must be written one after the other: interleaved, she would read one woman's words under the other's
    label, and might answer the wrong woman."""
    hodan, amina, sahra = await two_women(bot)
    # Written to Telegram's chats, handled side by side (not through the one-at-a-time test inbox).
    updates = [
        await bot.standin.send_text(amina.user_id, "Amina's words"),
        await bot.standin.send_text(sahra.user_id, "Sahra's words"),
    ]
    messages = [
        RelayMessage(
            telegram_user_id=update["message"]["from"]["id"],
            language_code="en",
            message_id=update["message"]["message_id"],
            kind="text",
            text=update["message"]["text"],
        )
        for update in updates
    ]
    # Both decide whether a label is needed at the same moment, when they can (the worst case).
    arrived: list[asyncio.Event] = [asyncio.Event(), asyncio.Event()]
    last_woman_entry = store.last_woman_entry

    async def at_the_same_moment(session: AsyncSession, *, match_ids: list[int]) -> MessageLog | None:
        mine = 0 if not arrived[0].is_set() else 1
        arrived[mine].set()
        with contextlib.suppress(TimeoutError):  # the other may be waiting for this one to finish
            async with asyncio.timeout(0.5):
                await arrived[1 - mine].wait()
        return await last_woman_entry(session, match_ids=match_ids)

    monkeypatch.setattr(store, "last_woman_entry", at_the_same_moment)
    await asyncio.gather(
        *(bot.services.relay.from_woman(message, bot.services.clock()) for message in messages)
    )
    await bot.send_outbox()

    after_hello = [m.text or "" for m in bot.inbox(hodan.user_id)]
    after_hello = after_hello[after_hello.index("Hello from the second") + 1 :]
    assert sorted(shown for shown in after_hello if not shown.startswith("💬 From ")) == [
        "Amina's words",
        "Sahra's words",
    ]
    named = "#2 Aarhus V"  # the label she read last: Sahra's, above "Hello from the second"
    for shown in after_hello:
        if shown.startswith("💬 From "):
            named = shown.removeprefix("💬 From ").removesuffix(":")
        else:  # each woman's words under her own label
            assert named == {"Amina's words": "#1 Brabrand", "Sahra's words": "#2 Aarhus V"}[shown]
