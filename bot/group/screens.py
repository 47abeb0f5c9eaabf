"""What "Ask my coordinator" says: to the Bydelsmor, and to her coordinator in Telegram."""

from __future__ import annotations

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
