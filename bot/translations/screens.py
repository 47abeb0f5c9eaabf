"""The texts a Bydelsmor sees when she checks the bot's translations (/translate)."""

from __future__ import annotations

from bot.domain.translations import text_key
from bot.i18n import Texts, UiLocale
from bot.ui import Button, Reply

__all__ = [
    "choose_language",
    "finished",
    "no_languages",
    "not_a_bydelsmor",
    "show_announcement",
    "show_text",
    "suggestion_kept",
    "suggestion_missing_parts",
    "write_suggestion",
]


def not_a_bydelsmor(t: Texts) -> Reply:
    return Reply(text=t.gettext("This is for Bydelsmødre who help translate the bot."))


def no_languages(t: Texts) -> Reply:
    return Reply(
        text=t.gettext("None of your languages can be chosen in the bot yet. Thank you for wanting to help!")
    )


def choose_language(t: Texts, locales: list[UiLocale]) -> Reply:
    _ = t.gettext
    rows = tuple((Button(locale.native_name, f"tr:lang:{locale.code}"),) for locale in locales)
    return Reply(
        text=_("Thank you for helping! 🌷 You see each text of the bot and its translation.")
        + "\n"
        + _("Which language would you like to check?"),
        buttons=rows,
    )


def show_text(
    t: Texts,
    *,
    locale: UiLocale,
    index: int,
    total: int,
    source_label: str,
    source: str,
    source_id: str,
    current: str | None,
    edit: bool,
) -> Reply:
    _ = t.gettext
    number = index + 1
    lines = [
        _("Text {number} of {total}", number=number, total=total),
        "",
        source_label,
        source,
        "",
        _("Now in {language}:", language=locale.native_name),
        current if current else "– " + _("not translated yet") + " –",
    ]
    code = locale.code
    buttons: list[tuple[Button, ...]] = [
        (Button("✏️ " + _("Suggest a better text"), f"tr:suggest:{code}:{text_key(source_id)}"),)
    ]
    paging = []
    if index > 0:
        paging.append(Button("◀ " + _("Back"), f"tr:go:{code}:{index - 1}"))
    if number < total:
        paging.append(Button(_("Next") + " ▶", f"tr:go:{code}:{index + 1}"))
    if paging:
        buttons.append(tuple(paging))
    buttons.append((Button(_("Stop"), "tr:stop"),))
    return Reply(text="\n".join(lines), buttons=tuple(buttons), edit=edit)


def source_label_english(t: Texts) -> str:
    return t.gettext("In English:")


def source_label_danish(t: Texts) -> str:
    return t.gettext("In Danish:")


def write_suggestion(t: Texts, *, locale: UiLocale, parts: list[str]) -> Reply:
    _ = t.gettext
    text = _("Write the better text in {language} as your next message.", language=locale.native_name)
    if parts:
        text += "\n" + _("Keep these parts exactly as they are: {parts}", parts=" ".join(parts))
    return Reply(text=text, buttons=((Button(_("Cancel"), "tr:cancel"),),))


def suggestion_missing_parts(t: Texts, parts: list[str]) -> Reply:
    return Reply(
        text=t.gettext(
            "Your text must keep these parts exactly as they are: {parts}. Please write it again.",
            parts=" ".join(parts),
        )
    )


def suggestion_kept(t: Texts) -> Reply:
    return Reply(text=t.gettext("Thank you! A coordinator will look at your suggestion. 🌷"))


def finished(t: Texts) -> Reply:
    return Reply(text=t.gettext("That was the last text. Thank you for your help! 🌷"))


def show_announcement(t: Texts, *, locale: UiLocale, announcement_id: int, text: str) -> Reply:
    """A coordinator's news for women, to be put into `locale` (the same screen as a bot text's)."""
    _ = t.gettext
    code = locale.code
    lines = [
        "📣 " + text,
        "",
        _("Now in {language}:", language=locale.native_name),
        "– " + _("not translated yet") + " –",
    ]
    return Reply(
        text=source_label_danish(t) + "\n" + "\n".join(lines),
        buttons=(
            (Button("✏️ " + _("Suggest a better text"), f"tr:ann:{code}:{announcement_id}"),),
            (Button(_("Next") + " ▶", f"tr:go:{code}:0"),),
            (Button(_("Stop"), "tr:stop"),),
        ),
    )
