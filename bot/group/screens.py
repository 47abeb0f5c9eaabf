"""What "Ask my coordinator" says: to the Bydelsmor, and to her coordinator in Telegram."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_time

from bot.i18n import Texts
from bot.ui import Button, Reply

ASK = "ask:new"
CANCEL = "ask:cancel"


def ask_button(t: Texts) -> tuple[Button, ...]:
    """The row under every offer and every check-in a Bydelsmor gets."""
    return (Button("💬 " + t.gettext("Ask my coordinator"), ASK),)


def bydelsmor_help(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Do you have a question about being a Bydelsmor? Your coordinator can help."),
        buttons=(ask_button(t),),
    )


def write_question(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_(
            "Write your question to your coordinator, or send a voice note."
            " Leave out the woman's name and details unless your coordinator needs them."
        ),
        buttons=((Button(_("Cancel"), CANCEL),),),
    )


def question_cancelled(t: Texts) -> Reply:
    return Reply(text=t.gettext("No question was sent."))


def question_again(t: Texts) -> Reply:
    return Reply(
        text=t.gettext("Please write your question, or send a voice note."),
        buttons=((Button(t.gettext("Cancel"), CANCEL),),),
    )


def question_sent(t: Texts) -> Reply:
    return Reply(text=t.gettext("Thank you. Your coordinator has your question. The answer will come here."))


def no_coordinator(t: Texts) -> Reply:
    return Reply(text=t.gettext("Your group has no coordinator in the bot yet. Please ask her in person."))


def answer_to_bydelsmor(t: Texts, answer: str) -> Reply:
    return Reply(text="💬 " + t.gettext("Your coordinator answers:") + "\n\n" + answer)


# --- The coordinator, in Telegram -----------------------------------------------------------------------


def question_for_coordinator(t: Texts, *, question_id: int, name: str, text: str | None) -> Reply:
    """The question with an "Answer" button; a voice note was sent just above it."""
    _ = t.gettext
    heading = "❓ " + _("A question from {name}, Bydelsmor:", name=name)
    body = text if text is not None else _("(a voice note, above)")
    return Reply(text=f"{heading}\n\n{body}", buttons=((Button(_("Answer"), f"ans:{question_id}"),),))


def write_answer(t: Texts, name: str) -> Reply:
    return Reply(text=t.gettext("Write your answer to {name} as your next message.", name=name))


def answer_as_text(t: Texts) -> Reply:
    return Reply(text=t.gettext("Please write your answer as text."))


def answered_already(t: Texts) -> Reply:
    return Reply(text=t.gettext("This question has been answered already."))


def answer_sent(t: Texts, name: str) -> Reply:
    return Reply(text=t.gettext("Your answer was sent to {name}.", name=name))


# --- Announcements ---------------------------------------------------------------------------------------


def _when_and_where(t: Texts, starts_at: datetime, place: str) -> str:
    day = format_date(starts_at, format="full", locale=t.locale.cldr_code)
    when = f"{day}, {format_time(starts_at, format='short', locale=t.locale.cldr_code)}"
    return f"🗓 {when}\n📍 {place}"


def announcement_for_bydelsmor(
    t: Texts, *, announcement_id: int, group: str, text: str, starts_at: datetime, place: str
) -> Reply:
    """As the coordinator wrote it (in Danish, usually), with "I'll come" / "I can't"."""
    _ = t.gettext
    return Reply(
        text="📣 "
        + _("News from {group}:", group=group)
        + f"\n\n{text}\n\n"
        + _when_and_where(t, starts_at, place),
        buttons=(
            (
                Button("✅ " + _("I'll come"), f"ann:{announcement_id}:yes"),
                Button(_("I can't"), f"ann:{announcement_id}:no"),
            ),
        ),
    )


def announcement_answered(t: Texts, *, coming: bool) -> Reply:
    _ = t.gettext
    if coming:
        return Reply(text=_("Thank you! Your coordinator can see that you will come. 🌷"))
    return Reply(text=_("Thank you for letting your coordinator know."))


def announcement_for_woman(t: Texts, *, text: str, starts_at: datetime, place: str) -> Reply:
    """An approved translation, in her language; how to stop is always said."""
    _ = t.gettext
    return Reply(
        text="📣 "
        + _("News from the Bydelsmødre near you:")
        + f"\n\n{text}\n\n"
        + _when_and_where(t, starts_at, place)
        + "\n\n"
        + _("Write /news to stop these messages.")
    )


# --- A woman's choice to hear news ----------------------------------------------------------------------

NEWS_YES = "news:yes"
NEWS_NO = "news:no"


def ask_news(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Would you like to hear about meetings for women near you?")
        + "\n"
        + _("It is off unless you say yes. You can change it any time with /news."),
        buttons=((Button(_("Yes, tell me"), NEWS_YES),), (Button(_("No, thank you"), NEWS_NO),)),
    )


def news_on(t: Texts) -> Reply:
    return Reply(text=t.gettext("Good. We will tell you about meetings for women near you. 🌷"))


def news_off(t: Texts) -> Reply:
    return Reply(text=t.gettext("All right. You will not get news about meetings."))


def news_first_start(t: Texts) -> Reply:
    return Reply(text=t.gettext("Please write /start first."))
