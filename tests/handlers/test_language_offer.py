"""Her language, guessed from what she writes: offered with one button, never switched without asking."""

from sqlalchemy import select

from storage.models import HelpRequest
from tests.harness import BotHarness, Phone


async def test_a_woman_who_greets_in_arabic_is_offered_arabic(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")  # her phone is in English, as many are
    [offer] = await phone.send("السلام عليكم")
    assert "هل نكتب" in (offer.text or "") or "العربية" in (offer.text or "")
    assert [b.callback_data for b in offer.buttons()] == ["lang:set:ar", "lang:page:0"]
    [who, _how] = await phone.press_data("lang:set:ar")
    assert "Bydelsmor" in (who.text or "")
    assert "A Bydelsmor is a woman" not in (who.text or "")  # in Arabic, not English


async def test_a_short_hello_or_an_emoji_gets_the_usual_greeting(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    [greeting] = await phone.send("hi")
    assert "Shall we write in English?" in (greeting.text or "")
    [again] = await phone.send("👋")  # one short re-ask, with the greeting's buttons
    assert "did not understand" in (again.text or "")
    assert "Yes, English" in [button.text for button in again.buttons()]


async def test_persian_script_offers_persian_and_dari(bot: BotHarness) -> None:
    phone = bot.phone(language_code=None)
    [offer] = await phone.send("سلام، من برای نامه‌ای از شهرداری کمک می‌خواهم")
    assert [b.callback_data for b in offer.buttons()] == ["lang:set:fa", "lang:set:fa_AF", "lang:page:0"]


async def test_writing_in_another_language_later_is_offered_but_not_forced(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    await phone.press("Yes, that is all right")
    await phone.send("8220")
    noted, offer = await phone.send("Habari, ninahitaji msaada kuhusu barua kutoka shule")
    assert "Thank you, I have noted that." in (noted.text or "")  # her words are kept, in any language
    assert [b.callback_data for b in offer.buttons()] == ["lang:set:sw", "lang:no:sw"]
    [kept] = await phone.press_data("lang:no:sw")
    assert kept.text == "Good, I will write in English."
    [noted_again] = await phone.send("Ninahitaji pia msaada na barua ya daktari")
    assert "noted" in (noted_again.text or "")  # not asked again about Swahili


async def chosen_english(bot: BotHarness) -> Phone:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    await phone.press("Yes, that is all right")
    return phone


async def test_a_place_name_at_the_postcode_question_offers_nothing(bot: BotHarness) -> None:
    phone = await chosen_english(bot)
    replies = await phone.send("Hej, jeg bor i Brabrand tæt på Gellerup")
    assert all("lang:set" not in (b.callback_data or "") for m in replies for b in m.buttons())


async def test_a_declined_language_is_not_offered_again_nor_another_after_it(bot: BotHarness) -> None:
    phone = await chosen_english(bot)
    await phone.send("8220")
    _, offer = await phone.send("Hej, jeg har brug for hjælp med et brev fra kommunen")
    assert offer.buttons()[0].callback_data == "lang:set:da"
    await phone.press_data("lang:no:da")
    replies = await phone.send("Jeg har også brug for hjælp med skolen for mine børn")
    assert all(b.callback_data != "lang:set:da" for m in replies for b in m.buttons())


async def test_kurmanji_writing_turkish_is_not_offered_turkish(bot: BotHarness) -> None:
    phone = bot.phone(language_code="ku")
    await phone.send("/start")
    await phone.press_data("lang:set:kmr")
    replies = await phone.send("Merhaba, bir mektup için yardıma ihtiyacım var")
    assert all(b.callback_data != "lang:set:tr" for m in replies for b in m.buttons())


async def test_after_her_request_waits_a_new_interface_language_keeps_her_match_language(
    bot: BotHarness,
) -> None:
    phone = await chosen_english(bot)
    await phone.send("8220")
    await phone.press("Done")
    await phone.send("/language")
    while not any(b.text == "Dansk" for b in phone.last.buttons()):
        await phone.press("More languages")
    await phone.press("Dansk")
    async with bot.services.db.transaction() as session:
        request = (await session.execute(select(HelpRequest))).scalar_one()
    assert request.spoken_language == "en"
