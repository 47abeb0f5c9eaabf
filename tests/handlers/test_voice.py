"""Issue 12: a Bydelsmor records the key screens, a coordinator approves, a woman who chose to listen hears
them above the text in her language; text alone where nothing is approved or the text changed since."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.i18n import texts, use_overrides
from bot.voice import library
from bot.voice.screens import KEY_SCREENS
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group
from tests.harness import BotHarness, Phone

SCREENS = [screen.key for screen in KEY_SCREENS]


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    # Each test has a new database: the recordings in memory must not carry over from the last one.
    library.forget_cache()
    yield
    library.forget_cache()
    use_overrides({})


async def record(hodan: Phone, code: str, key: str, data: bytes) -> int:
    """Hodan records one screen; the id of her recording."""
    # Straight to the screen (as pressing "Skip" until it comes would).
    await hodan.press_forged(f"rec:go:{code}:{SCREENS.index(key)}")
    [kept] = await hodan.send_voice(data)
    assert kept.text == "Thank you! 🌷 A coordinator will listen to it."
    play = next(b.callback_data for b in kept.buttons() if "Listen" in b.text)
    assert play is not None
    return int(play.rsplit(":", 1)[1])


async def approve(bot: BotHarness, *recording_ids: int) -> None:
    for recording_id in recording_ids:
        await bot.services.recordings.decide(
            recording_id=recording_id, approve=True, who="Mette", now=bot.services.clock()
        )


async def hodan_records(bot: BotHarness, *keys: str) -> tuple[Phone, dict[str, int]]:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    [choose] = await hodan.send("/record")
    assert [b.text for b in choose.buttons()] == ["Soomaali"]
    [keep] = await hodan.press("Soomaali")
    assert "may we keep your recordings?" in (keep.text or "")
    [first] = await hodan.press("Yes, keep them")
    assert "0 of 17 messages in Soomaali are recorded." in (first.text or "")
    assert "In Danish:\nFør vi begynder" in (first.text or "") or "In Danish:" in (first.text or "")
    ids = {key: await record(hodan, "so", key, f"OggS-{key}".encode()) for key in keys}
    return hodan, ids


def voice_then_text(messages: list) -> tuple[str | None, str]:  # type: ignore[type-arg]
    """(the voice note's file id or None, the first text after it)."""
    voice = messages[0].file_id if messages and messages[0].kind == "voice" else None
    text = next(m.text for m in messages if m.kind == "text")
    return voice, text or ""


async def test_a_woman_who_listens_hears_each_recorded_key_screen_above_its_text(bot: BotHarness) -> None:
    _hodan, ids = await hodan_records(bot, "listen", "consent", "postcode")
    await approve(bot, *ids.values())
    file_ids = {key: (await bot.services.recordings.file_of(recording_id=i)) for key, i in ids.items()}
    somali = texts("so")

    woman = bot.phone(language_code="so")
    await woman.send("/start")
    asked = await woman.press_data("lang:set:so")
    voice, text = voice_then_text(asked)
    assert voice == file_ids["listen"].file_id  # type: ignore[union-attr]
    assert somali.gettext("Would you like to hear the messages as well as read them?") in text

    said = await woman.press_data("listen:yes")
    assert all(m.kind == "text" for m in said)  # the introduction is not recorded yet: text alone
    consent = await woman.press_data("intro:next")
    assert consent[0].kind == "voice" and consent[0].file_id == file_ids["consent"].file_id  # type: ignore[union-attr]
    assert [m.kind for m in consent] == ["voice", "text", "text"]  # right above the screen's two parts
    postcode = await woman.press_data("consent:yes")
    assert [m.kind for m in postcode] == ["voice", "text"]
    topics = await woman.send("8220")
    assert [m.kind for m in topics] == ["text", "text"]  # not recorded: nothing waits, text alone


async def test_a_woman_who_says_no_reads_only(bot: BotHarness) -> None:
    _hodan, ids = await hodan_records(bot, "listen", "consent")
    await approve(bot, *ids.values())
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.press_data("listen:no")
    consent = await woman.press_data("intro:next")
    assert [m.kind for m in consent] == ["text", "text"]


async def test_without_a_recorded_question_she_is_not_asked(bot: BotHarness) -> None:
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    [_intro_lead, intro] = await woman.press_data("lang:set:so")
    assert intro.buttons()[0].callback_data == "intro:next"


async def test_pending_and_outdated_recordings_are_not_sent(bot: BotHarness, clock: Clock) -> None:
    _hodan, ids = await hodan_records(bot, "listen", "consent")
    await approve(bot, ids["listen"])  # the consent recording still waits for a coordinator
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.press_data("listen:yes")
    consent = await woman.press_data("intro:next")
    assert [m.kind for m in consent] == ["text", "text"]

    await approve(bot, ids["consent"])
    # A better translation of one of the consent's texts is approved: the recording no longer says it.
    use_overrides({"so": {"Is that all right?": "Ma ku fiican tahay?"}})
    await woman.send("/stop")
    [_cancelled, again_lead, again] = await woman.press_data("stop:no")
    assert again_lead.kind == "text" and "Ma ku fiican tahay?" in (again.text or "")

    # Approved again for the text as it is now, it is sent again.
    clock.advance(seconds=1)
    await approve(bot, ids["consent"])
    await woman.send("/stop")
    [_cancelled, voice, _lead, _text] = await woman.press_data("stop:no")
    assert voice.kind == "voice"


async def test_listen_turns_it_on_and_off(bot: BotHarness) -> None:
    _hodan, ids = await hodan_records(bot, "listen", "stop")
    await approve(bot, *ids.values())
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.press_data("listen:no")
    assert [m.kind for m in await woman.send("/stop")] == ["text"]

    asked = await woman.send("/listen")
    assert asked[0].kind == "voice"  # the question itself is said aloud, so that she can answer it
    await woman.press_data("listen:yes")
    assert [m.kind for m in await woman.send("/stop")] == ["voice", "text"]


async def test_a_bydelsmor_listens_back_records_again_and_withdraws(bot: BotHarness) -> None:
    hodan, ids = await hodan_records(bot, "consent")
    [played, said] = await hodan.press_data(f"rec:play:{ids['consent']}")
    recording = await bot.services.recordings.file_of(recording_id=ids["consent"])
    assert played.kind == "voice" and recording is not None and played.file_id == recording.file_id
    assert said.text == "▶ This is your recording."
    again = await record(hodan, "so", "consent", b"OggS-better")
    pending = await bot.services.recordings.review_items(statuses=("pending",))
    assert [item.id for item in pending] == [again]  # the first take was replaced by the second

    [gone] = await hodan.press_data(f"rec:withdraw:{again}")
    assert gone.text == "Your recording is withdrawn. It will not be sent."
    assert await bot.services.recordings.review_items(statuses=("pending",)) == []


async def test_the_matched_notice_comes_with_its_recording(bot: BotHarness, clock: Clock) -> None:
    hodan, ids = await hodan_records(bot, "listen", "matched")
    await approve(bot, *ids.values())
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.press_data("listen:yes")
    await woman.press_data("intro:next")
    await woman.press_data("consent:yes")
    await woman.send("8220")
    await woman.press_data("topic:letters")
    await woman.press_data("topic:done")
    before = max(m.message_id for m in bot.inbox(woman.user_id))
    await hodan.press("Yes, I will talk with her")
    await bot.process_pending()
    told = bot.inbox(woman.user_id, after=before)
    assert [m.kind for m in told] == ["voice", "text"]
    assert "Hodan" in (told[1].text or "")


async def test_the_danger_answer_is_said_aloud_before_and_during_the_talks(bot: BotHarness) -> None:
    hodan, ids = await hodan_records(bot, "listen", "danger_acute")
    await approve(bot, *ids.values())
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.press_data("listen:yes")
    await woman.press_data("intro:next")
    await woman.press_data("consent:yes")
    danger = "He will kill me"  # English is always judged too
    answered = await woman.send(danger)
    assert [m.kind for m in answered][:2] == ["voice", "text"] and "112" in (answered[1].text or "")

    await woman.send("8220")
    await woman.press_data("topic:letters")
    await woman.press_data("topic:done")
    await hodan.press("Yes, I will talk with her")
    await bot.process_pending()
    during = await woman.send(danger + " tonight")
    assert [m.kind for m in during][:2] == ["voice", "text"] and "112" in (during[1].text or "")


async def test_a_text_to_her_woman_ends_an_open_recording_so_her_next_voice_note_goes_to_the_woman(
    bot: BotHarness,
) -> None:
    from tests.handlers.test_matching import matched_pair

    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await hodan.send("/record")
    await hodan.press("Soomaali")
    await hodan.press("Yes, keep them")
    await hodan.press_forged(f"rec:go:so:{SCREENS.index('consent')}")  # a screen open, waiting for her voice

    await hodan.send("I will call you tomorrow")  # she turns to her woman instead
    before = woman.last.message_id
    await hodan.send_voice(b"OggS-for-the-woman")

    assert woman.last.message_id > before and woman.last.kind == "voice"
    assert await bot.services.recordings.review_items(locale="so") == []  # nothing was taken as a recording


async def test_she_hears_back_when_her_recording_is_approved_or_rejected_with_the_reason(
    bot: BotHarness,
) -> None:
    hodan, ids = await hodan_records(bot, "consent", "postcode")
    await bot.services.recordings.decide(
        recording_id=ids["consent"], approve=True, who="Mette", now=bot.services.clock()
    )
    await bot.services.recordings.decide(
        recording_id=ids["postcode"],
        approve=False,
        reason="Lidt for hurtigt, prøv igen roligt",
        who="Mette",
        now=bot.services.clock(),
    )
    approved, rejected = (await hodan.refresh())[-2:]

    assert approved.text == "Your recording is approved. Women who listen hear it now. Thank you! 🌷"
    assert rejected.text == (
        "Your recording was not approved this time.\nThe coordinator says: Lidt for hurtigt, prøv igen roligt"
    )
    assert [b.text for b in rejected.buttons()] == ["▶ Listen", "🔁 Record again"]
    [again] = await hodan.press("🔁 Record again")
    assert "In Soomaali:\nMahadsanid! 🌷\nXaggee ku nooshahay?" in (again.text or "")  # the postcode screen
