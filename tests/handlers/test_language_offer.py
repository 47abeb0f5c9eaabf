"""Her language, guessed from what she writes: offered with one button, never switched without asking."""

from tests.harness import BotHarness


async def test_a_woman_who_greets_in_arabic_is_offered_arabic(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")  # her phone is in English, as many are
    [offer] = await phone.send("السلام عليكم")
    assert "هل نكتب" in (offer.text or "") or "العربية" in (offer.text or "")
    assert [b.callback_data for b in offer.buttons()] == ["lang:set:ar", "lang:page:0"]
    [intro] = await phone.press_data("lang:set:ar")
    assert "Bydelsmor" in (intro.text or "")
    assert "A Bydelsmor is a woman" not in (intro.text or "")  # in Arabic, not English


async def test_a_short_hello_or_an_emoji_gets_the_usual_greeting(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    [greeting] = await phone.send("hi")
    assert "Shall we write in English?" in (greeting.text or "")
    sorry, again = await phone.send("👋")
    assert "did not understand" in (sorry.text or "")
    assert "Shall we write in English?" in (again.text or "")


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
