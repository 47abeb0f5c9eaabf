"""What a woman sees before she presses Start: the bot's description and command list, per language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import LOCALES, SOURCE_LOCALE, Texts, UiLocale, texts

__all__ = ["BotProfile", "profile_for", "profiles"]

# Telegram's limits for these texts.
DESCRIPTION_MAX = 512
SHORT_DESCRIPTION_MAX = 120
COMMAND_DESCRIPTION_MAX = 256


@dataclass(frozen=True, slots=True)
class BotProfile:
    language_code: str | None  # None: the default, for apps in a language we have no catalog for
    description: str
    short_description: str
    commands: tuple[tuple[str, str], ...]


def _texts(t: Texts) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    _ = t.gettext
    description = "\n\n".join(
        (
            _("Talk with a Bydelsmor in your own language."),
            _(
                "A Bydelsmor is a woman who lives near you and speaks your language."
                " She is a volunteer. It is free, and she does not work for the municipality."
            ),
            _("We never ask for your name, your phone number or your address. You can stop at any time."),
            _("Press Start to begin."),
        )
    )
    short = _("Talk with a Bydelsmor in your own language. Free and private.")
    commands = (
        ("start", _("start again")),
        ("language", _("change the language")),
        ("help", _("this help")),
        ("mydata", _("see what we keep about you")),
        ("listen", _("hear the messages as well as read them")),
        ("news", _("news about meetings for women near you")),
        ("end", _("end the talks with your Bydelsmor")),
        ("stop", _("stop and delete everything")),
    )
    return description, short, commands


def profile_for(locale: UiLocale, *, default: bool = False) -> BotProfile:
    description, short, commands = _texts(texts(locale.code))
    return BotProfile(
        language_code=None if default else locale.telegram_code,
        description=description,
        short_description=short,
        commands=commands,
    )


def profiles() -> list[BotProfile]:
    """One per locale Telegram has a code for, and the English one as the default for all others."""
    result = [profile_for(texts(SOURCE_LOCALE).locale, default=True)]
    result += [profile_for(locale) for locale in LOCALES if locale.telegram_code]
    return result
