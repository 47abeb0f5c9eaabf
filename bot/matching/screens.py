"""What a woman reads once a Bydelsmor is found: the match, the relay, safety, and the end."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Texts
from bot.ui import Button, Reply


def matched(t: Texts, *, name: str, language: str) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Good news! 🌷 {name} is your Bydelsmor. She speaks {language}.", name=name, language=language)
        + "\n\n"
        + _("You can write to her here now, or send a voice message. She does not see your phone number."),
        screen="matched",
    )


def takes_longer(t: Texts, language: str) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Right now no Bydelsmor who speaks {language} is free near you.", language=language)
        + "\n"
        + _(
            "We have not forgotten you. We will write here as soon as one is free."
            " It can take a little longer."
        )
    )


@dataclass(frozen=True, slots=True)
class Helplines:
    """The numbers shown in danger. Kept in settings so an organisation can correct them; the translated
    texts carry the verified defaults (112 and Lev Uden Vold's 1888), which are swapped for these."""

    emergency: str = "112"
    violence: str = "1888"
    suicide: str = "70 201 201"  # Livslinien


def helpline_lines(t: Texts, helplines: Helplines) -> tuple[str, str]:
    """ "Call 112 now" and "Lev Uden Vold ... 1888", with the numbers from the settings."""
    _ = t.gettext
    emergency = _("If you are in danger, call 112 now.").replace("112", helplines.emergency)
    violence = _("Lev Uden Vold helps with violence at home: call 1888, day and night, free.")
    return emergency, violence.replace("1888", helplines.violence)


def danger_help(
    t: Texts, kind: str, helplines: Helplines = Helplines(), *, bydelsmor_reads: bool = False
) -> Reply:
    """The answer to words of danger, by their kind (acute, violence, suicide): whom to call, and what
    happens now. `bydelsmor_reads`: her message was passed on to her Bydelsmor."""
    _ = t.gettext
    lev = _(
        "Lev Uden Vold helps with violence at home, day and night, free and anonymous: call {number}.",
        number=helplines.violence,
    )
    call: tuple[str, ...]
    if kind == "acute":
        call = (_("If you are in danger, call 112 now.").replace("112", helplines.emergency), lev)
    elif kind == "suicide":
        call = (
            _(
                "Livslinien listens if you think of ending your life: call {number}, anonymously.",
                number=helplines.suicide,
            ),
        )
    else:
        call = (lev,)
    told = _("You are not alone. We have told the coordinator of your local group.")
    lines = ["❤️ " + call[0], *call[1:], told + " " + _("You decide what happens next.")]
    if bydelsmor_reads:
        lines.append(_("Your Bydelsmor has your message too."))
    return Reply(
        text="\n".join(lines), screen=f"danger_{kind}" if kind in ("acute", "suicide") else "danger_violence"
    )


def not_passed_on(t: Texts) -> Reply:
    return Reply(
        text=t.gettext("This kind of message cannot be passed on. Please write, or send a voice message.")
    )


def contact_not_passed_on(t: Texts) -> Reply:
    return Reply(text=t.gettext("For your safety, contact cards with phone numbers are not passed on."))


def partner_unreachable(t: Texts) -> Reply:
    return Reply(
        text=t.gettext(
            "Your messages can no longer reach the other person. We have told the coordinator, who will help."
        )
    )


def ask_end(t: Texts, match_id: int) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Do you want to end the talks with your Bydelsmor?"),
        buttons=(
            (Button(_("Yes, I got the help I needed"), f"end:{match_id}:helped"),),
            (Button(_("I would like another Bydelsmor"), f"end:{match_id}:another"),),
            (Button(_("Yes, for another reason"), f"end:{match_id}:other"),),
            (Button(_("No, go on talking"), f"end:{match_id}:cancel"),),
        ),
    )


def ended_for_woman(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Your talks with your Bydelsmor have ended. Thank you, and take care! 🌷")
        + "\n"
        + _("If you need a Bydelsmor again, write /start.")
    )


def looking_for_another(t: Texts) -> Reply:
    return Reply(text=t.gettext("All right. We are looking for another Bydelsmor for you. 🌷"))


def bydelsmor_ended(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Your Bydelsmor has ended the talks. Thank you, and take care! 🌷")
        + "\n"
        + _("If you need a Bydelsmor again, write /start.")
    )


def still_talking(t: Texts) -> Reply:
    return Reply(text=t.gettext("Good, the talks go on."))


def reassigned(t: Texts) -> Reply:
    """A coordinator ended her talks to find her another Bydelsmor (she did not ask for it)."""
    _ = t.gettext
    return Reply(
        text=_("The coordinator of your local group has ended your talks with your Bydelsmor.")
        + "\n"
        + _("We are now looking for another Bydelsmor for you. We will write to you soon. 🌷")
    )
