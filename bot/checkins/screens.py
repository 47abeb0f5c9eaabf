"""Follow-up check-ins: the questions a woman and her Bydelsmor answer, with buttons."""

from __future__ import annotations

from bot.group.screens import ask_button
from bot.i18n import Texts
from bot.matching.screens import Helplines, helpline_lines
from bot.ui import Button, Reply

# --- The woman --------------------------------------------------------------------------------------------


def _better_buttons(t: Texts, checkin_id: int) -> tuple[tuple[Button, ...], ...]:
    _ = t.gettext
    return (
        (Button("🙂 " + _("Better"), f"ci:{checkin_id}:better:better"),),
        (Button("😐 " + _("The same"), f"ci:{checkin_id}:better:same"),),
        (Button("🙁 " + _("Worse"), f"ci:{checkin_id}:better:worse"),),
    )


def _yes_little_no(t: Texts, checkin_id: int, question: str) -> tuple[tuple[Button, ...], ...]:
    _ = t.gettext
    return (
        (
            Button(_("Yes"), f"ci:{checkin_id}:{question}:yes"),
            Button(_("A little"), f"ci:{checkin_id}:{question}:little"),
            Button(_("No"), f"ci:{checkin_id}:{question}:no"),
        ),
    )


def woman_better(t: Texts, checkin_id: int, *, reminder: bool) -> Reply:
    _ = t.gettext
    first = _("A gentle reminder 🌷") + "\n" if reminder else ""
    return Reply(
        text=first + _("Is it going better since your last talk with your Bydelsmor?"),
        buttons=_better_buttons(t, checkin_id),
        screen="checkin_better",
    )


def woman_measure(t: Texts, checkin_id: int, question: str) -> Reply:
    """One of the evaluation's three questions, asked at 30 and 90 days."""
    _ = t.gettext
    texts = {
        "courage": _("Do you have more courage to solve your own problems?"),
        "network": _("Do you know more people where you live?"),
        "society": _("Do you know more about Danish society and where to get help?"),
    }
    return Reply(
        text=texts[question], buttons=_yes_little_no(t, checkin_id, question), screen=f"checkin_{question}"
    )


def woman_more(t: Texts, checkin_id: int) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Thank you! Would you like to tell us more? Write a few words or send a voice message."),
        buttons=(
            (Button(_("I would like to talk to my Bydelsmor again"), f"ci:{checkin_id}:again:yes"),),
            (Button(_("No, thank you"), f"ci:{checkin_id}:done:yes"),),
        ),
    )


def worse_help(t: Texts, checkin_id: int, helplines: Helplines, *, bydelsmor: bool) -> Reply:
    """After "Worse": the helplines, then only who should contact her (her Bydelsmor while they talk)."""
    _ = t.gettext
    emergency, violence = helpline_lines(t, helplines)
    who = [Button(_("The coordinator"), f"ci:{checkin_id}:contact:coordinator")]
    if bydelsmor:
        who.insert(0, Button(_("My Bydelsmor"), f"ci:{checkin_id}:contact:bydelsmor"))
    return Reply(
        text="\n".join(
            (
                _("We are sorry to hear that."),
                "❤️ " + emergency,
                violence,
                "",
                _("Would you like your Bydelsmor or the coordinator to contact you?")
                if bydelsmor
                else _("Would you like the coordinator to contact you?"),
            )
        ),
        buttons=tuple((button,) for button in who),
    )


def thanks(t: Texts) -> Reply:
    return Reply(text=t.gettext("Thank you for answering! 🌷"))


def comment_kept(t: Texts) -> Reply:
    return Reply(text=t.gettext("Thank you. We keep your words safe. 🌷"))


def final_question(t: Texts, checkin_id: int) -> Reply:
    """When the talks end: one last "how did it go?"."""
    _ = t.gettext
    return Reply(
        text=_("Your talks with your Bydelsmor have ended. How did it go?"),
        buttons=_better_buttons(t, checkin_id),
    )


def wants_to_talk(t: Texts, label: str) -> Reply:
    """To the Bydelsmor."""
    return Reply(text=t.gettext("{label} would like to talk with you again. 🌷", label=label))


# --- The Bydelsmor ----------------------------------------------------------------------------------------


def bydelsmor_scope(t: Texts, checkin_id: int, label: str) -> Reply:
    _ = t.gettext
    return Reply(
        text=_(
            "How is it going with {label}? Does your help stay within what a Bydelsmor does?", label=label
        ),
        buttons=(
            (Button(_("Yes, it is going well"), f"ci:{checkin_id}:scope:yes"),),
            (Button(_("It is getting too much"), f"ci:{checkin_id}:scope:too_much"),),
            (Button(_("She needs professional help"), f"ci:{checkin_id}:scope:professional"),),
            ask_button(t),
        ),
    )


def bydelsmor_quarter(t: Texts, checkin_id: int, question: str) -> Reply:
    _ = t.gettext
    texts = {
        "network": _("Has being a Bydelsmor given you a stronger network?"),
        "society": _("Has being a Bydelsmor given you more knowledge of Danish society?"),
        "courage": _("Has being a Bydelsmor given you more courage in your own life?"),
    }
    return Reply(text=texts[question], buttons=(*_yes_little_no(t, checkin_id, question), ask_button(t)))


def coordinator_told(t: Texts) -> Reply:
    return Reply(
        text=t.gettext("Thank you for telling us. Your coordinator has been told and will contact you.")
    )


def checkin_closed(t: Texts) -> str:
    return t.gettext("This question is closed. Thank you!")
