"""What a coordinator reads in Telegram: alerts about her group, and invitation links."""

from __future__ import annotations

from bot.i18n import Texts
from bot.matching.screens import Helplines
from bot.ui import Reply


def danger_alert(t: Texts, *, kind: str, language: str, reference: str, helplines: Helplines) -> Reply:
    """Words of danger: their kind, the language of the words that raised it, and what she was shown."""
    _ = t.gettext
    found_in = t.language_name(language)
    if kind == "acute":
        text = _(
            "⚠️ Danger to life in {reference} (words in {language}). She was shown {emergency} and"
            " {violence}. Please act now.",
            reference=reference,
            language=found_in,
            emergency=helplines.emergency,
            violence=helplines.violence,
        )
    elif kind == "suicide":
        text = _(
            "⚠️ Thoughts of suicide in {reference} (words in {language}). She was shown {suicide}."
            " Please follow up.",
            reference=reference,
            language=found_in,
            suicide=helplines.suicide,
        )
    else:
        text = _(
            "⚠️ Violence or threats at home in {reference} (words in {language}). She was shown"
            " {violence}. Please follow up.",
            reference=reference,
            language=found_in,
            violence=helplines.violence,
        )
    return Reply(text=text)


def alert(
    t: Texts, *, kind: str, reference: str, spoken_language: str | None = None, place: str | None = None
) -> Reply:
    """An alert; with `spoken_language` (nobody free) also whom she needs: the language and the area."""
    _ = t.gettext
    if kind == "nobody_left":
        text = _("⚠️ No Bydelsmor is free for {reference}. Can you find someone?", reference=reference)
    elif kind == "blocked":
        text = _(
            "⚠️ A person in {reference} has blocked the bot. The other side was told.", reference=reference
        )
    elif kind == "too_much":
        text = _(
            "⚠️ A Bydelsmor says the help in {reference} is getting too much for her.", reference=reference
        )
    elif kind == "worse":
        text = _("⚠️ The woman in {reference} says things are worse. Please contact her.", reference=reference)
    elif kind == "professional":
        text = _("⚠️ A Bydelsmor says the woman in {reference} needs professional help.", reference=reference)
    else:
        text = "⚠️ " + reference
    if spoken_language is not None:
        language = t.language_name(spoken_language)
        text += "\n• " + _("Language: {language}", language=language)
        text += "\n• " + _("Area: {place}", place=place or _("not given"))
    return Reply(text=text)


def invite(t: Texts, *, group: str, link: str, days: int) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("A new invitation link for a Bydelsmor in {group}:", group=group)
        + "\n"
        + link
        + "\n"
        + t.ngettext("It works once, for {count} day.", "It works once, for {count} days.", days)
    )


def not_a_coordinator(t: Texts) -> Reply:
    return Reply(text=t.gettext("Only coordinators can make invitation links."))


def login_link(t: Texts, *, link: str, minutes: int) -> Reply:
    _ = t.gettext
    return Reply(
        text=_(
            "Your link to the coordinators' dashboard. It works once, within {minutes} minutes."
            " Do not pass it on.",
            minutes=minutes,
        )
        + "\n"
        + link,
        link_preview=False,
    )


def not_a_coordinator_login(t: Texts) -> Reply:
    return Reply(text=t.gettext("Only coordinators can sign in to the dashboard."))


def poster_line(t: Texts) -> str:
    """The line under the QR code on a group's poster, in every shipped language."""
    return t.gettext("Talk to a Bydelsmor in your language")
