"""The whole onboarding in every shipped locale: translated, within Telegram's limits, values isolated."""

import pytest
from babel.messages.pofile import read_po

from bot.catalogs import TEMPLATE
from bot.i18n import FSI, LOCALES, PDI, SOURCE_LOCALE, UiLocale
from sandbox.standin import ChatMessage
from tests.harness import BotHarness

TELEGRAM_TEXT_MAX = 4096


def english_sentences() -> set[str]:
    """Source texts long enough that a translation would never repeat them by chance."""
    with TEMPLATE.open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    flat = [part for i in ids for part in (i if isinstance(i, tuple | list) else (i,))]
    return {text.split("{")[0].strip() for text in flat if len(text.split("{")[0].strip()) >= 24}


@pytest.mark.parametrize("locale", LOCALES, ids=lambda locale: locale.code)
async def test_the_onboarding_in_every_locale(bot: BotHarness, locale: UiLocale) -> None:
    phone = bot.phone(language_code=locale.hints[0])
    seen: list[ChatMessage] = []
    seen += await phone.send("/start")
    assert next(b.callback_data for b in seen[-1].buttons()) == f"lang:set:{locale.code}"
    seen += await phone.press_data(f"lang:set:{locale.code}")
    seen += await phone.press_data("intro:next")
    assert "365" in (seen[-1].text or "")
    seen += await phone.press_data("consent:yes")
    seen += await phone.send("0999")  # no such postcode: the re-ask is translated too
    seen += await phone.send("8220")
    seen += await phone.press_data("topic:health")
    seen += await phone.press_data("topic:other")
    seen += await phone.press_data("topic:done")
    seen += await phone.send_voice()
    seen += await phone.send("/mydata")
    seen += await phone.send("/help")
    seen += await phone.send("/stop")

    # As sent, with the invisible isolates the harness leaves out of what she sees.
    sent = {m.message_id: m for m in phone.standin.chat(phone.user_id)}
    everything = [sent[m.message_id] for m in seen]
    summary = next(
        m for m in everything if "8220 Brabrand" in (m.text or "") and not (m.text or "").startswith("✅")
    )
    keyboard = phone.standin.current_reply_keyboard(phone.user_id) or {}
    labels = [b.text for m in everything for b in m.buttons()] + [
        key["text"] for row in keyboard.get("keyboard", []) for key in row
    ]
    texts = [m.text or "" for m in everything] + labels

    for text in texts:
        assert 0 < len(text) <= TELEGRAM_TEXT_MAX
    if locale.code != SOURCE_LOCALE:
        leaked = [s for s in english_sentences() if any(s in text for text in texts)]
        assert leaked == [], f"English left in {locale.code}: {leaked}"
    # Values are isolated in every locale: an Arabic-script name must not turn a Danish line around either.
    assert f"{FSI}8220 Brabrand{PDI}" in (summary.text or "")
    assert f"{FSI}0999{PDI}" in "".join(texts)
    commands = [t for t in texts if "/stop" in t]
    assert commands
    if locale.rtl:
        assert all(f"{FSI}/stop{PDI}" in t for t in commands)
    else:  # left-to-right text keeps its /commands as written, for Telegram to find them
        assert f"{FSI}/stop" not in "".join(texts)
    assert all(len(label) <= 40 for label in labels), labels
