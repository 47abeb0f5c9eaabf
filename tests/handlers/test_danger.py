"""Words of danger, as a woman writes them in her language: each kind gets its own answer, in her language,
the coordinator is told the kind, and her message still reaches her Bydelsmor."""

from pathlib import Path

import pytest
from sqlalchemy import select

from bot import coordinator_screens
from bot.i18n import texts
from bot.matching import screens as match_screens
from storage.models import Alert
from tests.conftest import Clock
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone, without_isolates

HELPLINES = match_screens.Helplines()  # the settings' defaults: 112, 1888, 70 201 201

# What women write (from bot/domain/safety/evaluation/): one sentence per kind and language.
SENTENCES = {
    ("en", "acute"): "he is coming with a knife",
    ("en", "violence"): "my husband hits me",
    ("en", "suicide"): "i want to kill myself",
    ("so", "acute"): "mindi ayuu wataa wuxuu leeyahay waan ku dilayaa",
    ("so", "violence"): "ninkaygu wuu i garaacaa",
    ("so", "suicide"): "waxaan rabaa inaan dhinto",
    ("ar", "acute"): "معه سكينه وبيقول رح يقتلني",
    ("ar", "violence"): "جوزي بيضربني",
    ("ar", "suicide"): "بدي اقتل حالي",
    ("tr", "acute"): "elinde bicakla uzerime geliyor",
    ("tr", "violence"): "kocam beni dövüyor",
    ("tr", "suicide"): "kendimi oldurmek istiyorum",
}
CASES = [
    pytest.param(language, kind, text, id=f"{language}-{kind}")
    for (language, kind), text in SENTENCES.items()
]


def coordinator_sees(kind: str, language: str, reference: str = "#1 Brabrand") -> str:
    t = texts("en")  # the coordinator reads English
    return without_isolates(
        coordinator_screens.danger_alert(
            t, kind=kind, language=language, reference=reference, helplines=HELPLINES
        ).text
    )


async def alerts(bot: BotHarness) -> list[tuple[str, str | None, str | None]]:
    async with bot.services.db.transaction() as session:
        rows = (await session.execute(select(Alert).order_by(Alert.id))).scalars()
        return [(a.kind, a.danger_kind, a.danger_language) for a in rows]


async def talking(bot: BotHarness, language: str) -> tuple[Phone, Phone, Phone]:
    """A coordinator, a Bydelsmor who speaks the woman's language, and the woman, matched."""
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,ar,tr,en", "8220")
    woman = await woman_asks(bot, language=language)
    await hodan.press("Yes, I will talk with her")
    return coordinator, hodan, woman


@pytest.mark.parametrize(("language", "kind", "text"), CASES)
async def test_during_talks_each_kind_gets_its_own_answer_and_the_bydelsmor_still_reads_her(
    bot: BotHarness, language: str, kind: str, text: str
) -> None:
    coordinator, hodan, woman = await talking(bot, language)
    [answer] = await woman.send(text)
    assert answer.text == without_isolates(
        match_screens.danger_help(texts(language), kind, HELPLINES, bydelsmor_reads=True).text
    )
    assert bot.inbox(hodan.user_id)[-1].text == text  # still passed on, as she wrote it
    assert bot.inbox(coordinator.user_id)[-1].text == coordinator_sees(kind, language)
    assert await alerts(bot) == [("safety", kind, language)]


@pytest.mark.parametrize(("language", "kind", "text"), CASES)
async def test_before_a_match_each_kind_gets_its_own_answer_and_the_coordinator_is_told(
    bot: BotHarness, language: str, kind: str, text: str
) -> None:
    coordinator = await set_up_group(bot)
    woman = await woman_asks(bot, language=language)  # nobody speaks her language yet: she waits
    answer, *_ = await woman.send(text)
    assert answer.text == without_isolates(match_screens.danger_help(texts(language), kind, HELPLINES).text)
    # Before a match she is named by her request and postcode, as in the other alerts about a request.
    assert bot.inbox(coordinator.user_id)[-1].text == coordinator_sees(kind, language, "#1 8220")
    assert await alerts(bot) == [("nobody_left", None, None), ("safety", kind, language)]


async def test_the_answers_say_whom_to_call_for_each_kind() -> None:
    t = texts("en")
    acute = without_isolates(match_screens.danger_help(t, "acute", HELPLINES, bydelsmor_reads=True).text)
    assert acute.startswith("❤️ If you are in danger, call 112 now.\nLev Uden Vold")
    violence = without_isolates(match_screens.danger_help(t, "violence", HELPLINES).text)
    assert "1888" in violence and "anonymous" in violence and "112" not in violence
    suicide = without_isolates(match_screens.danger_help(t, "suicide", HELPLINES).text)
    assert "Livslinien" in suicide and "70 201 201" in suicide and "1888" not in suicide
    for text in (acute, violence, suicide):
        assert "We have told the coordinator of your local group. You decide what happens next." in text
    assert acute.endswith("Your Bydelsmor has your message too.")
    assert "Bydelsmor" not in violence  # before a match, no Bydelsmor reads her


async def test_several_alarming_messages_get_one_answer_until_a_more_urgent_kind(
    bot: BotHarness, clock: Clock
) -> None:
    coordinator, hodan, woman = await talking(bot, "en")
    [first] = await woman.send("my husband hits me")
    assert "1888" in (first.text or "")
    assert await woman.send("he hit me again last night") == []  # the same answer is not repeated ...
    assert bot.inbox(hodan.user_id)[-1].text == "he hit me again last night"  # ... but she is read
    [urgent] = await woman.send("he is coming with a knife")  # more urgent: 112 at once
    assert "call 112 now" in (urgent.text or "")
    assert await woman.send("my husband hits me") == []  # acute answered: violence is covered
    clock.advance(minutes=31)
    [again] = await woman.send("my husband hits me")
    assert "1888" in (again.text or "")
    assert [kind for _, kind, _ in await alerts(bot)] == ["violence", "acute", "violence"]
    told = [m.text or "" for m in bot.inbox(coordinator.user_id) if "⚠️" in (m.text or "")]
    assert len(told) == 3


async def test_he_never_hits_me_is_no_alarm(bot: BotHarness) -> None:
    coordinator, hodan, woman = await talking(bot, "en")
    before = len(bot.inbox(coordinator.user_id))
    assert await woman.send("he never hits me, he is a good man") == []
    assert bot.inbox(hodan.user_id)[-1].text == "he never hits me, he is a good man"
    assert len(bot.inbox(coordinator.user_id)) == before and await alerts(bot) == []


async def test_an_albanian_woman_who_remembers_is_no_alarm(bot: BotHarness) -> None:
    # Bulgarian-in-Latin "me bie" (he beats me) once fired on Albanian "Më bie në mend" (I remember).
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "sq,en", "8220")
    woman = await woman_asks(bot, language="sq")
    await hodan.press("Yes, I will talk with her")
    assert await woman.send("Më bie në mend") == []
    assert await woman.send("Më bie në mend kur ishim të vegjël në fshat") == []
    assert await alerts(bot) == []


@pytest.mark.parametrize("text", ["my husband hits me", "he is coming with a knife"])
async def test_her_very_first_words_of_danger_are_answered_before_the_language_question(
    bot: BotHarness, text: str
) -> None:
    # Before she has chosen a language the bot greets her or offers the language her words suggest; the
    # danger answer comes first all the same (in her phone's language).
    woman = bot.phone(language_code="en")
    first, *rest = await woman.send(text)
    kind = "acute" if "knife" in text else "violence"
    assert first.text == without_isolates(match_screens.danger_help(texts("en"), kind, HELPLINES).text)
    assert rest  # and she is greeted or offered her language, as without danger
    assert await alerts(bot) == [("safety", kind, "en")]


async def test_the_helplines_come_from_the_settings(
    database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> None:
    numbers: dict[str, object] = {
        "emergency_number": "113",
        "violence_helpline": "1999",
        "suicide_helpline": "70 000 000",
    }
    harness = BotHarness(
        database_url=database_url, data_key=data_key, clock=clock, data_dir=tmp_path, settings=numbers
    )
    await harness.start()
    try:
        woman = harness.phone(language_code="en")
        suicide, *_ = await woman.send("i want to kill myself")
        acute, *_ = await woman.send("he is coming with a knife")
    finally:
        await harness.close()
    assert "70 000 000" in (suicide.text or "") and "70 201 201" not in (suicide.text or "")
    assert "call 113 now" in (acute.text or "") and "call 1999" in (acute.text or "")
