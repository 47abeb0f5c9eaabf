"""Jinja2 in Danish and English: one environment per locale, with the dashboard's gettext catalog.

The dashboard's texts are their own gettext domain ("dashboard", extracted from the templates), apart from
the bot's texts for women and Bydelsmødre. Topic labels and language names come from the bot's catalogs.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_timedelta
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.domain.onboarding import HelpTopic
from bot.i18n import LOCALES_DIR, texts
from bot.onboarding.screens import topic_label

__all__ = ["DASHBOARD_DOMAIN", "TEMPLATES", "environment", "pick_locale", "translator"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
DASHBOARD_DOMAIN = "dashboard"


def pick_locale(accept_language: str | None) -> str:
    """Danish unless the browser prefers English: most coordinators work in Danish."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("da"):
            return "da"
        if tag.startswith("en"):
            return "en"
    return "da"


@cache
def _translations(locale: str) -> stdlib_gettext.NullTranslations:
    if locale == "en":
        return stdlib_gettext.NullTranslations()
    return Translations.load(str(LOCALES_DIR), [locale], domain=DASHBOARD_DOMAIN)


def translator(locale: str) -> Callable[[str], str]:
    """gettext for the few dashboard texts made in Python (chart labels); extracted by the name `t_`."""
    return _translations(locale).gettext


@cache
def environment(locale: str, zone_name: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(_translations(locale), newstyle=True)  # type: ignore[attr-defined]
    zone = ZoneInfo(zone_name)
    bot_texts = texts(locale)

    def when(value: datetime | None) -> str:
        if value is None:
            return "–"
        return format_datetime(value.astimezone(zone), "d MMM y, HH:mm", locale=locale)

    def day(value: date | None) -> str:
        return "–" if value is None else format_date(value, "long", locale=locale)

    def month(value: date) -> str:
        return format_date(value, "MMM y", locale=locale)

    def duration(value: timedelta) -> str:
        return format_timedelta(value, threshold=1.5, locale=locale)

    def language(code: str) -> str:
        return bot_texts.language_name(code)

    def topic(code: str) -> str:
        return topic_label(bot_texts, HelpTopic(code)) if code in set(HelpTopic) else code

    env.filters.update(when=when, day=day, month=month, duration=duration, language=language, topic=topic)
    env.globals.update(locale=locale, zone=zone_name)
    return env
