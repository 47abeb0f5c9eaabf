"""The onboarding as a woman lives it, through the Telegram stand-in, in English."""

from sqlalchemy import select

from bot.i18n import LOCALES
from bot.onboarding.service import Sender
from storage.models import HelpRequest, Person
from tests.conftest import Clock
from tests.harness import BotHarness, Phone


async def stored(bot: BotHarness) -> tuple[list[Person], list[HelpRequest]]:
    async with bot.services.db.transaction() as session:
        found_people = list((await session.execute(select(Person))).scalars())
        requests = list((await session.execute(select(HelpRequest))).scalars())
    return found_people, requests


async def test_a_woman_is_greeted_and_tells_where_she_lives_and_what_she_needs(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")

    [greeting] = await phone.send("/start")
    assert "Shall we write in English?" in (greeting.text or "")
    assert [b.text for b in greeting.buttons()] == ["Yes, English", "🌐 Choose another language"]

    [who, how] = await phone.press("Yes, English")  # two short messages rather than one to scroll
    assert "A Bydelsmor is a woman who lives near you and speaks your language." in (who.text or "")
    assert "She does not work for the municipality." in (who.text or "")
    assert "She does not see your phone number" in (how.text or "")
    assert [b.text for b in how.buttons()] == ["Continue ▶"]

    [kept, consent] = await phone.press("Continue")
    assert "your messages with your Bydelsmor" in (kept.text or "")
    assert "the coordinator of the local group" in (kept.text or "")
    assert "We delete it 365 days after" in (consent.text or "")

    [question] = await phone.press("Yes, that is all right")
    assert "Write your postcode" in (question.text or "")
    assert phone.keyboard_labels() == ["📍 Share my location", "I would rather not say"]

    noted, topics = await phone.send("8220")
    assert noted.text == "✅ 8220 Brabrand"
    assert phone.keyboard_labels() == []  # the location keyboard is gone
    assert "What would you like help with?" in (topics.text or "")

    assert await phone.press("Health") == []  # ticking a topic edits the message, no new one
    await phone.press("Children and school")
    ticked = phone.message(topics.message_id)
    assert "✅ 🩺 Health" in [b.text for b in ticked.buttons()]
    assert "✅ 🧒 Children and school" in [b.text for b in ticked.buttons()]

    summary, *_ = await phone.press("Done")
    assert "We are now looking for a Bydelsmor who speaks English near 8220 Brabrand." in (summary.text or "")

    people, requests = await stored(bot)
    assert [(p.step, p.consent, p.locale) for p in people] == [("waiting", "given", "en")]
    assert [(r.status, r.postcode, r.topics, r.spoken_language) for r in requests] == [
        ("waiting", "8220", ["children", "health"], "en")
    ]


async def test_an_app_language_we_do_not_have_shows_every_language_by_its_own_name(bot: BotHarness) -> None:
    phone = bot.phone(language_code="nb")
    [picker] = await phone.send("/start")
    assert "Choose your language" in (picker.text or "")
    first_page = [b.text for b in picker.buttons()]
    assert first_page[:5] == ["العربية", "Türkçe", "Kurmancî", "کوردی (سۆرانی)", "Soomaali"]

    seen = set(first_page)
    while any(b.text.startswith("▶") for b in phone.message(picker.message_id).buttons()):
        await phone.press("▶")  # the next page replaces this one in the same message
        seen |= {b.text for b in phone.message(picker.message_id).buttons()}
    assert {locale.native_name for locale in LOCALES} <= seen

    [who, _how] = await phone.press("English")
    assert "A Bydelsmor is a woman" in (who.text or "")


async def test_saying_no_to_consent_keeps_only_the_no(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    [reply] = await phone.press("No, thank you")
    assert "We keep nothing about you, only that you said no." in (reply.text or "")
    assert "write /start" in (reply.text or "")

    people, requests = await stored(bot)
    assert requests == []
    [person] = people
    assert (person.step, person.consent, person.locale, person.referral) == ("refused", "refused", None, None)

    [mydata] = await phone.send("/mydata")
    assert "We keep nothing about you" in (mydata.text or "")

    [again] = await phone.send("/start")
    assert "Shall we write in English?" in (again.text or "")


async def test_stop_erases_everything_after_one_confirmation(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("5220")
    await phone.press("Done")

    [question] = await phone.send("/stop")
    assert "delete everything we keep about you?" in (question.text or "")
    [kept, again] = await phone.press("No, keep it")
    assert kept.text == "Good, nothing is deleted."
    assert "still looking" in (again.text or "")
    assert (await stored(bot))[1] != []

    await phone.send("/stop")
    [gone] = await phone.press("Yes, delete everything")
    assert "Everything is deleted." in (gone.text or "")
    assert await stored(bot) == ([], [])

    [mydata] = await phone.send("/mydata")
    assert "We keep nothing about you" in (mydata.text or "")


async def test_a_restart_in_the_middle_continues_where_she_was(bot: BotHarness) -> None:
    phone = await to_postcode(bot)

    await bot.restart()

    noted, topics = await phone.send("2200")
    assert noted.text == "✅ 2200 København N"
    assert "What would you like help with?" in (topics.text or "")

    await bot.restart()
    [welcome, current] = await phone.send("/start")
    assert "Let us carry on where you were." in (welcome.text or "")
    assert "What would you like help with?" in (current.text or "")


async def test_wrong_answers_get_a_friendly_re_ask_and_nothing_breaks(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")

    # One short re-ask each time, with the buttons of where she is (not the whole screen again).
    [sorry] = await phone.send("hello?")
    assert sorry.text == "Sorry, I did not understand. Please choose one of the buttons."
    assert "Yes, English" in [button.text for button in sorry.buttons()]

    await phone.press("Yes, English")
    [sorry] = await phone.send_sticker()
    assert "did not understand" in (sorry.text or "")
    assert [button.text for button in sorry.buttons()] == ["Continue ▶"]

    await phone.press("Continue")
    [sorry] = await phone.send_voice()
    assert "did not understand" in (sorry.text or "")
    assert "✅ Yes, that is all right" in [button.text for button in sorry.buttons()]
    assert (await stored(bot))[1] == []  # nothing she sent before consent is kept

    await phone.press("Yes, that is all right")
    [short] = await phone.send("822")
    assert "A Danish postcode has 4 digits, for example 8220." in (short.text or "")
    [unknown] = await phone.send("0999")
    assert "I could not find the postcode 0999." in (unknown.text or "")
    [voice] = await phone.send_voice()
    assert "I cannot listen to a voice message here." in (voice.text or "")
    [long] = await phone.send("I live somewhere " * 300)
    assert "A Danish postcode has 4 digits" in (long.text or "")
    [emoji] = await phone.send("🏠")
    assert "A Danish postcode has 4 digits" in (emoji.text or "")
    [berlin] = await phone.share_location(52.52, 13.40)
    assert "outside Denmark" in (berlin.text or "")
    assert phone.keyboard_labels() == ["📍 Share my location", "I would rather not say"]

    [confirm] = await phone.share_location(56.1530, 10.1020)
    assert confirm.text == "You live near 8220 Brabrand. Is that right?"
    noted, _topics = await phone.press("Yes")
    assert noted.text == "✅ 8220 Brabrand"

    sorry_topics = await phone.send_sticker()
    assert "did not understand" in (sorry_topics[0].text or "")


async def test_she_may_keep_her_postcode_to_herself(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    noted, _topics = await phone.send("I would rather not say")
    assert "We will look for a Bydelsmor who speaks your language." in (noted.text or "")
    summary, *_ = await phone.press("Done")
    assert "We are now looking for a Bydelsmor who speaks English." in (summary.text or "")
    [mydata] = await phone.send("/mydata")
    assert "Postcode: you chose not to say" in (mydata.text or "")


async def test_something_else_in_her_own_words_is_kept_encrypted(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("8220")
    await phone.press("Something else")
    [ask] = await phone.press("Done")
    assert "Write a few words, or send a voice message." in (ask.text or "")
    kept, summary, *_ = await phone.send_voice(b"OggS-her-voice")
    assert "We keep your words safe." in (kept.text or "")
    assert "We are now looking for a Bydelsmor" in (summary.text or "")

    [mydata] = await phone.send("/mydata")
    assert "Your voice message (kept encrypted)" in (mydata.text or "")
    assert "Help with: 💬 Something else" in (mydata.text or "")
    _, [request] = await stored(bot)
    assert request.note_kind == "voice"
    assert request.note_encrypted is not None
    [her_voice] = [m for m in bot.standin.chat(phone.user_id) if not m.from_bot and m.kind == "voice"]
    assert bot.services.onboarding.notes(request) == [{"kind": "voice", "value": her_voice.file_id}]


async def test_words_she_writes_while_choosing_topics_are_not_lost(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("8220")
    [noted] = await phone.send("My son has problems at school")
    assert "Thank you, I have noted that." in (noted.text or "")
    await phone.send("and I need help with a letter")
    _, [request] = await stored(bot)
    assert request.note_encrypted is not None
    assert [note["value"] for note in bot.services.onboarding.notes(request)] == [
        "My son has problems at school",
        "and I need help with a letter",
    ]


async def test_the_language_can_be_changed_at_any_time(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    [picker] = await phone.send("/language")
    assert "Choose your language" in (picker.text or "")
    while not any(b.text == "Dansk" for b in phone.last.buttons()):
        await phone.press("More languages")
    changed, current = await phone.press("Dansk")
    assert changed.text == "Good, I will write in Dansk." or "Dansk" in (changed.text or "")
    assert "2200" in (current.text or "")  # the postcode question again, now in Danish


async def test_help_lists_the_commands_and_the_emergency_number(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    [reply] = await phone.send("/help")
    for command in ("/start", "/language", "/mydata", "/stop", "/help"):
        assert command in (reply.text or "")
    assert "Call 112" in (reply.text or "")


async def test_a_poster_link_is_remembered_and_a_forged_one_ignored(bot: BotHarness) -> None:
    first = bot.phone(language_code="en")
    await first.send("/start gellerup-8220")
    second = bot.phone(language_code="en")
    await second.send("/start <script>")
    people, _ = await stored(bot)
    assert sorted(p.referral or "-" for p in people) == ["-", "gellerup-8220"]


async def test_a_button_from_an_old_message_says_it_is_no_longer_active(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    [current] = await phone.press_data("intro:next")
    assert "Write your postcode" in (current.text or "")
    answers = bot.standin.callback_answers(phone.user_id)
    assert answers[-1].get("text") == "This button is no longer active."


async def test_an_update_delivered_twice_is_handled_once(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await bot.standin.send_text(phone.user_id, "/start")
    [raw] = bot.standin.drain_updates()
    for _ in range(2):  # Telegram sends it again when it did not hear back in time
        await bot.services.inbox.receive(raw)
    await bot.process_pending()
    assert len(bot.standin.bot_messages(phone.user_id)) == 1


async def to_postcode(bot: BotHarness) -> Phone:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    await phone.press("Yes, that is all right")
    return phone


async def test_a_postcode_corrected_by_editing_the_message_counts(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    [wrong] = await phone.send("822")
    assert "4 digits" in (wrong.text or "")
    her_message = max(m.message_id for m in bot.standin.chat(phone.user_id) if not m.from_bot)
    before = phone.last.message_id
    await bot.standin.edit_text(phone.user_id, her_message, "8220")
    await bot.process_pending()
    replies = [m for m in bot.standin.bot_messages(phone.user_id) if m.message_id > before]
    assert replies[0].text == "✅ 8220 Brabrand"


async def test_an_edit_into_a_command_does_not_run_it(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("8220")
    her_message = max(m.message_id for m in bot.standin.chat(phone.user_id) if not m.from_bot)
    await bot.standin.edit_text(phone.user_id, her_message, "/stop")
    await bot.process_pending()
    assert "delete everything" not in (phone.last.text or "")
    people, _ = await stored(bot)
    assert people != []


async def test_forged_button_data_changes_nothing(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    sender = Sender(telegram_user_id=phone.user_id, language_code="en")
    now = bot.services.clock()
    for data in ("lang:set:xx", "lang:page:²", "consent:yes", "topic:nonsense", "x" * 64):
        outcome = await bot.services.onboarding.press(sender=sender, data=data, now=now)
        assert outcome.replies or outcome.notice  # a clear answer, never a crash
    people, _ = await stored(bot)
    assert [(p.locale, p.step) for p in people] == [("en", "postcode")]


async def test_she_can_erase_even_after_saying_no(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    await phone.press("No, thank you")
    [question] = await phone.send("/stop")
    assert "delete everything" in (question.text or "")
    await phone.press("Yes, delete everything")
    assert await stored(bot) == ([], [])


async def test_a_photo_of_a_letter_is_kept_with_her_words(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("8220")
    [noted] = await phone.send_photo(b"\x89PNG-a-letter")
    assert "Thank you, I have noted that." in (noted.text or "")
    [mydata] = await phone.send("/mydata")
    assert "Your photos (kept encrypted)" in (mydata.text or "")


async def test_women_who_never_answered_are_forgotten_after_a_month(bot: BotHarness, clock: Clock) -> None:
    waiting = await to_postcode(bot)
    await waiting.send("8220")
    await waiting.press("Done")
    silent = bot.phone(language_code="en")
    await silent.send("/start")
    clock.advance(days=31)
    await bot.services.tick()
    people, requests = await stored(bot)
    assert [p.telegram_user_id for p in people] == [waiting.user_id]
    assert len(requests) == 1
