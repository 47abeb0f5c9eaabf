"""What a trial run tripped over in the conversation (issue 17), as she, her Bydelsmor and the coordinator
now see it."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import coordinator_screens
from bot.i18n import LOCALES, UiLocale, texts
from bot.onboarding import screens
from storage.models import HelpRequest
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.handlers.test_onboarding import to_postcode
from tests.harness import BotHarness, Phone, without_isolates


def her_newest_message(bot: BotHarness, phone: Phone) -> int:
    return max(m.message_id for m in bot.standin.chat(phone.user_id) if not m.from_bot)


async def edit(bot: BotHarness, phone: Phone, message_id: int, text: str) -> list[str | None]:
    before = phone.last.message_id
    await bot.standin.edit_text(phone.user_id, message_id, text)
    await bot.process_pending()
    return [m.text for m in bot.inbox(phone.user_id, after=before)]


async def postcode_stored(bot: BotHarness) -> str | None:
    async with bot.services.db.transaction() as session:
        [request] = (await session.execute(select(HelpRequest))).scalars()
        return request.postcode


# --- Editing an answer after the bot moved on ------------------------------------------------------------


async def test_editing_the_postcode_after_the_bot_moved_on_corrects_it_and_the_offer_says_so(
    bot: BotHarness,
) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "en", "8220")
    phone = await to_postcode(bot)
    noted, _topics = await phone.send("8000")
    assert noted.text == "✅ 8000 Aarhus C"

    corrected, topics_again = await edit(bot, phone, her_newest_message(bot, phone), "8220")
    assert corrected == "✅ I changed your postcode to 8220 Brabrand."
    assert "What would you like help with?" in (topics_again or "")  # where she is, shown again
    assert await postcode_stored(bot) == "8220"

    await phone.press("Health")
    await phone.press("Done")
    [offer] = bot.inbox(hodan.user_id)
    assert "Area: 8220 Brabrand" in (offer.text or "")


async def test_once_her_request_is_sent_an_edit_of_the_postcode_changes_nothing(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("8220")
    postcode_message = her_newest_message(bot, phone)
    await phone.press("Done")
    replies = await edit(bot, phone, postcode_message, "8000")
    assert replies == [screens.welcome_back_waiting(texts("en")).text]  # today's answer while she waits
    assert await postcode_stored(bot) == "8220"


async def test_an_edit_that_is_no_postcode_stays_her_own_words(bot: BotHarness) -> None:
    phone = await to_postcode(bot)
    await phone.send("8220")
    await phone.send("My son needs help with school")
    replies = await edit(bot, phone, her_newest_message(bot, phone), "My son needs help with his school")
    assert replies == [screens.note_kept_choose_on(texts("en")).text]
    assert await postcode_stored(bot) == "8220"


# --- Garbage as her very first message -------------------------------------------------------------------


async def test_random_letters_first_get_the_greeting_in_her_phones_language(bot: BotHarness) -> None:
    phone = bot.phone(language_code="so")  # a Somali phone
    [greeting] = await phone.send("mlpxapb wtssm ffqhaygr")  # letters lingua reads as English
    somali = texts("so")
    assert greeting.text == without_isolates(screens.greeting(somali).text)
    assert "Shall we write in English?" not in (greeting.text or "")
    labels = [button.text for button in greeting.buttons()]
    assert labels[0] == without_isolates(somali.gettext("Yes, {language}", language="Soomaali"))
    assert "Yes, English" in labels  # what her letters might be stays one press away

    [again] = await phone.send("qqqqq")  # each later unclear message: one short re-ask
    assert again.text == without_isolates(screens.not_understood(somali).text)
    greeting_buttons = [without_isolates(b.label) for row in screens.greeting(somali).buttons for b in row]
    assert [button.text for button in again.buttons()] == greeting_buttons
    [who, intro] = await phone.press("Soomaali")  # a long screen in two messages
    introduction = screens.introduction(somali)
    assert (who.text, intro.text) == (
        without_isolates(introduction.lead or ""),
        without_isolates(introduction.text),
    )


async def test_an_unclear_message_later_gets_one_short_re_ask(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    [again] = await phone.send("👍")
    assert again.text == "Sorry, I did not understand. Please choose one of the buttons."
    assert [button.text for button in again.buttons()] == ["Continue ▶"]


# --- Nobody free -----------------------------------------------------------------------------------------


async def test_nobody_free_is_one_message(bot: BotHarness) -> None:
    await set_up_group(bot)
    phone = await to_postcode(bot)
    await phone.send("8220")
    told, news = await phone.press("Done")  # the one message, then whether she wants news of meetings
    assert news.text and news.text.startswith("Would you like to hear about meetings for women near you?")
    assert "Right now no Bydelsmor who speaks English is free near you." in (told.text or "")
    assert "This can take a few days" not in (told.text or "")
    assert "We are now looking for a Bydelsmor who speaks English near 8220 Brabrand." in (told.text or "")


# --- The offer: the buttons go once she answered, and the real time to answer ------------------------


async def test_the_offer_shows_what_she_chose_and_loses_its_buttons(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    fadumo = await bydelsmor(bot, "Fadumo", "so", "8210")
    await woman_asks(bot)
    [offer] = bot.inbox(hodan.user_id)
    [thanks] = await hodan.press("No, not this time")  # the offer is edited, one new message
    assert "We will ask another Bydelsmor" in (thanks.text or "")
    declined = hodan.message(offer.message_id)
    assert declined.buttons() == []
    assert (declined.text or "").endswith("→ No, not this time")
    assert "Area: 8220 Brabrand" in (declined.text or "")

    [second] = bot.inbox(fadumo.user_id)
    [talking, _guide] = await fadumo.press("Yes, I will talk with her")
    assert "You are now talking with" in (talking.text or "")
    accepted = fadumo.message(second.message_id)
    assert accepted.buttons() == []
    assert (accepted.text or "").endswith("→ ✅ Yes, I will talk with her")


ANSWER_TIMES = [("30m", "Please answer within 30 minutes."), ("90m", "Please answer within 90 minutes.")]


@pytest.fixture(params=ANSWER_TIMES)
async def timed(
    request: pytest.FixtureRequest, database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> AsyncIterator[tuple[BotHarness, str]]:
    timeout, says = request.param
    harness = BotHarness(
        database_url=database_url,
        data_key=data_key,
        clock=clock,
        data_dir=tmp_path,
        settings={"offer_timeout": timeout},
    )
    await harness.start()
    yield harness, says
    await harness.close()


async def test_the_offer_says_the_real_time_to_answer(timed: tuple[BotHarness, str]) -> None:
    bot, says = timed
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    await woman_asks(bot)
    [offer] = bot.inbox(hodan.user_id)
    assert says in (offer.text or "")
    assert "hour" not in (offer.text or "").split("\n")[-1]


# --- The coordinator's "nobody free" alert -----------------------------------------------------------


async def test_the_nobody_free_alert_names_the_language_and_the_area(bot: BotHarness) -> None:
    coordinator = await set_up_group(bot)
    await woman_asks(bot, language="ti", postcode="8220")
    [alert] = bot.inbox(coordinator.user_id)
    assert "No Bydelsmor is free for #1 8220 Brabrand" in (alert.text or "")
    assert "• Language: Tigrinya" in (alert.text or "")
    assert "• Area: 8220 Brabrand" in (alert.text or "")


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
def test_every_nobody_free_alert_names_the_language(locale: UiLocale) -> None:
    t = texts(locale.code)
    for needed in ("ti", "prs", "so"):
        alert = coordinator_screens.alert(
            t, kind="nobody_left", reference="#12", spoken_language=needed, place=None
        )
        assert t.language_name(needed) in alert.text
