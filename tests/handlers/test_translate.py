"""A Bydelsmor suggests a better translation; a coordinator approves it; the bot uses it at once."""

from datetime import UTC, datetime

import pytest

from bot import admin
from bot.i18n import texts, use_overrides
from bot.translations.service import source_texts
from storage import volunteers as store
from tests.conftest import Clock
from tests.harness import BotHarness, Phone


@pytest.fixture(autouse=True)
def no_overrides_left_behind() -> object:
    yield
    use_overrides({})


async def make_bydelsmor(bot: BotHarness, user_id: int, languages: str = "so,ar") -> None:
    await admin.add_volunteer(
        bot.services,
        telegram_id=user_id,
        name="Hodan",
        languages=languages,
        postcode="8220",
        capacity=3,
        locale="en",
        now=datetime(2026, 3, 1, tzinfo=UTC),
    )


async def test_only_a_bydelsmor_can_translate(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    [reply] = await phone.send("/translate")
    assert reply.text == "This is for Bydelsmødre who help translate the bot."


async def test_a_suggestion_is_reviewed_and_then_used(bot: BotHarness) -> None:
    bydelsmor = bot.phone(language_code="en", first_name="Hodan")
    await make_bydelsmor(bot, bydelsmor.user_id)

    [choose] = await bydelsmor.send("/translate")
    assert [b.text for b in choose.buttons()] == ["العربية", "Soomaali"]
    [first] = await bydelsmor.press("Soomaali")
    assert f"Text 1 of {len(source_texts())}" in (first.text or "")
    assert "In English:" in (first.text or "")
    assert "Now in Soomaali:" in (first.text or "")

    target = source_texts().index("Thank you! 🌷")
    for index in range(1, target + 1):
        await bydelsmor.press_data(f"tr:go:so:{index}")
    [ask] = await bydelsmor.press("Suggest a better text")
    assert "as your next message" in (ask.text or "")

    kept, following = await bydelsmor.send("Mahadsanid! 🌷🌷")
    assert kept.text == "Thank you! A coordinator will look at your suggestion. 🌷"
    assert f"Text {target + 2} of" in (following.text or "")

    answers = iter(["a"])
    approved, rejected = await admin.review_translations(
        bot.services, locale="so", ask=lambda _: next(answers), who="Mette", now=bot.services.clock
    )
    assert (approved, rejected) == (1, 0)
    assert texts("so").gettext("Thank you! 🌷") == "Mahadsanid! 🌷🌷"

    exported, orphans = await bot.services.translations.export(code="so")
    po = exported.decode()
    assert orphans == []
    assert 'msgstr "Mahadsanid! 🌷🌷"' in po


async def test_a_suggestion_that_drops_a_placeholder_is_asked_again(bot: BotHarness) -> None:
    bydelsmor = bot.phone(language_code="en")
    await make_bydelsmor(bot, bydelsmor.user_id, languages="ar")
    await bydelsmor.send("/translate")
    await bydelsmor.press("العربية")
    target = source_texts().index("I could not find the postcode {postcode}.")
    for index in range(1, target + 1):
        await bydelsmor.press_data(f"tr:go:ar:{index}")
    [ask] = await bydelsmor.press("Suggest a better text")
    assert "{postcode}" in (ask.text or "")
    [again] = await bydelsmor.send("لم أجد الرمز البريدي")
    assert "must keep these parts exactly as they are: {postcode}" in (again.text or "")
    [kept, _] = await bydelsmor.send("لم أجد الرمز البريدي {postcode}.")
    assert "A coordinator will look" in (kept.text or "")
    assert [s.text for s in await bot.services.translations.pending()] == ["لم أجد الرمز البريدي {postcode}."]


async def test_a_bydelsmor_who_is_not_translating_still_gets_the_womens_flow(bot: BotHarness) -> None:
    phone = bot.phone(language_code="en")
    await make_bydelsmor(bot, phone.user_id)
    [greeting] = await phone.send("/start")
    assert "Shall we write in English?" in (greeting.text or "")


async def test_an_approval_in_another_process_comes_into_force_at_the_next_tick(bot: BotHarness) -> None:
    bydelsmor = bot.phone(language_code="en")
    await make_bydelsmor(bot, bydelsmor.user_id, languages="so")
    await bydelsmor.send("/translate")
    await bydelsmor.press("Soomaali")
    target = source_texts().index("Talk with a Bydelsmor in your own language.")
    for index in range(1, target + 1):
        await bydelsmor.press_data(f"tr:go:so:{index}")
    await bydelsmor.press("Suggest a better text")
    await bydelsmor.send("Kala hadal Bydelsmor afkaaga.")
    [pending] = await bot.services.translations.pending()
    await bot.services.translations.decide(
        suggestion_id=pending.id, approve=True, who="Mette", now=bot.services.clock()
    )
    use_overrides({})  # as if this were another process, which has not seen the approval yet
    assert texts("so").gettext(source_texts()[target]) != "Kala hadal Bydelsmor afkaaga."
    await bot.services.tick()
    assert texts("so").gettext(source_texts()[target]) == "Kala hadal Bydelsmor afkaaga."


async def start_suggesting(bot: BotHarness, languages: str = "so") -> Phone:
    bydelsmor = bot.phone(language_code="en")
    await make_bydelsmor(bot, bydelsmor.user_id, languages=languages)
    await bydelsmor.send("/translate")
    await bydelsmor.press("Soomaali")
    await bydelsmor.press("Suggest a better text")
    return bydelsmor


async def test_stray_braces_or_a_far_too_long_text_are_refused(bot: BotHarness) -> None:
    bydelsmor = await start_suggesting(bot)
    for bad in ("Kula hadal {", "Kula hadal {0}", "x" * 200):
        [again] = await bydelsmor.send(bad)
        assert "Please write it again." in (again.text or "")
    assert await bot.services.translations.pending() == []


async def test_a_message_long_after_pressing_suggest_is_not_a_suggestion(
    bot: BotHarness, clock: Clock
) -> None:
    bydelsmor = await start_suggesting(bot)
    clock.advance(minutes=20)
    [reply] = await bydelsmor.send("Hello, I would like some help with a letter please")
    # Not a suggestion: with no woman to pass it to, it is her own message, for the onboarding.
    assert "Shall we write in English?" in (reply.text or "")
    assert await bot.services.translations.pending() == []


async def test_a_command_ends_a_suggestion(bot: BotHarness) -> None:
    bydelsmor = await start_suggesting(bot)
    [help_text] = await bydelsmor.send("/help")
    assert "Call 112" in (help_text.text or "")
    [reply] = await bydelsmor.send("Kala hadal Bydelsmor afkaaga.")
    assert "A coordinator will look" not in (reply.text or "")
    assert await bot.services.translations.pending() == []


async def test_an_approved_text_that_would_break_the_bot_is_not_used(bot: BotHarness) -> None:
    async with bot.services.db.transaction() as session:
        row = await store.add_suggestion(
            session,
            locale="so",
            msgid="I could not find the postcode {postcode}.",
            text="{postcode} {",
            volunteer_id=None,
            now=bot.services.clock(),
        )
        row.status = "approved"
        row.decided_at = bot.services.clock()
    await bot.services.translations.reload_overrides()
    shown = texts("so").gettext("I could not find the postcode {postcode}.", postcode="9999")
    assert "9999" in shown and "{" not in shown
