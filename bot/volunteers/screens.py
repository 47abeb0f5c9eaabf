"""What a Bydelsmor reads: joining by invite, her profile, offers, the first-talk guide, routing, ending."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.group.screens import ask_button
from bot.i18n import Texts
from bot.ui import Button, KeyboardKey, Reply

# --- Joining through an invite --------------------------------------------------------------------------


def invite_refused(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("This invitation link does not work. It has been used already, or it has expired.")
        + "\n"
        + _("Please ask your coordinator for a new link.")
    )


def ask_move(t: Texts, group: str, token: str) -> Reply:
    """An invitation opened by someone who is a Bydelsmor already: moving is her choice, never silent."""
    _ = t.gettext
    return Reply(
        text=_(
            "This invitation is for the group {group}. Do you want to move to this group? "
            "The women you talk with now stay with you.",
            group=group,
        ),
        buttons=(
            (Button(_("Yes, move to {group}", group=group), f"bm:move:{token}"),),
            (Button(_("No, stay where I am"), "bm:stay"),),
        ),
    )


def moved(t: Texts, group: str) -> Reply:
    return Reply(text=t.gettext("Done: you are now in the group {group}.", group=group), edit=True)


def not_moved(t: Texts) -> Reply:
    return Reply(text=t.gettext("Nothing has changed."), edit=True)


def ask_name(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Welcome, and thank you for being a Bydelsmor! 🌷")
        + "\n\n"
        + _("What name should the women see? A first name is enough.")
    )


def name_not_understood(t: Texts) -> Reply:
    return Reply(text=t.gettext("Please write a name of 1 to 30 letters."))


def ask_languages(t: Texts, chosen: list[str], matches: list[tuple[str, str]]) -> Reply:
    """`chosen`: names of the languages she chose; `matches`: (code, name) found for what she typed."""
    _ = t.gettext
    lines = [_("Which languages do you speak? Write the name of a language, for example Somali.")]
    if chosen:
        lines.append(_("You speak: {languages}", languages=", ".join(chosen)))
    rows: list[tuple[Button, ...]] = [(Button("➕ " + name, f"bm:lang:{code}"),) for code, name in matches]
    if chosen:
        rows.append((Button(_("Done") + " ✔", "bm:lang:done"),))
    return Reply(text="\n\n".join(lines), buttons=tuple(rows))


def no_language_found(t: Texts) -> Reply:
    return Reply(
        text=t.gettext("I did not find that language. Please try another spelling, or the name in English.")
    )


def ask_postcode(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("What is your postcode? We use it to find women who live near you.")
        + "\n"
        + _("Or press “Share my location” below."),
        keyboard=((KeyboardKey("📍 " + _("Share my location"), request_location=True),),),
    )


def ask_capacity(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("How many new women can you take each month? Most Bydelsmødre take about 3."),
        buttons=(tuple(Button(str(n), f"bm:cap:{n}") for n in range(1, 6)),),
        remove_keyboard=False,
    )


def ask_bot_language(t: Texts) -> str:
    return t.gettext("In which language should the bot write to you?")


def joined(t: Texts, name: str) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Thank you, {name}! You are now a Bydelsmor in the bot. 🌷", name=name)
        + "\n\n"
        + _("When a woman near you needs a Bydelsmor who speaks your language, we will ask you here.")
        + "\n"
        + _("Write /profile to see or change your details, /pause to take a break."),
        remove_keyboard=True,
    )


# --- Profile and pause ------------------------------------------------------------------------------------


def profile(
    t: Texts,
    *,
    name: str,
    languages: list[str],
    place: str | None,
    capacity: int,
    load: int,
    paused_until: date | None,
) -> Reply:
    _ = t.gettext
    lines = [
        _("Your details:"),
        "• " + _("Name: {name}", name=name),
        "• " + _("Languages: {languages}", languages=", ".join(languages)),
        "• " + _("Postcode: {place}", place=place or "–"),
        "• "
        + t.ngettext(
            "New women this month: {load} of {count}",
            "New women this month: {load} of {count}",
            capacity,
            load=load,
        ),
    ]
    if paused_until is not None:
        lines.append(
            "• "
            + _(
                "On a break until {date}",
                date=format_date(paused_until, format="long", locale=t.locale.cldr_code),
            )
        )
    return Reply(
        text="\n".join(lines),
        buttons=(
            (Button(_("Change name"), "bm:edit:name"), Button(_("Change languages"), "bm:edit:languages")),
            (
                Button(_("Change postcode"), "bm:edit:postcode"),
                Button(_("Change how many"), "bm:edit:capacity"),
            ),
            (Button("🌐 " + _("Bot language"), "bm:edit:locale"),),
        ),
    )


def ask_pause(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_(
            "Take a break? You will get no new women until it ends."
            " The women you talk with now stay with you."
        ),
        buttons=(
            (Button(_("1 week"), "bm:pause:7"), Button(_("2 weeks"), "bm:pause:14")),
            (Button(_("1 month"), "bm:pause:30"), Button(_("Until I write /resume"), "bm:pause:0")),
        ),
    )


def paused(t: Texts, until: date | None) -> Reply:
    _ = t.gettext
    if until is None:
        return Reply(text=_("Enjoy your break! 🌷 Write /resume when you are ready again."))
    day = format_date(until, format="long", locale=t.locale.cldr_code)
    return Reply(text=_("Enjoy your break! 🌷 We will ask you again after {date}.", date=day))


def resumed(t: Texts) -> Reply:
    return Reply(text=t.gettext("Welcome back! 🌷 We will ask you when a woman needs you."))


def not_a_bydelsmor(t: Texts) -> Reply:
    return Reply(text=t.gettext("This is for Bydelsmødre. Ask your coordinator for an invitation link."))


# --- Offers ----------------------------------------------------------------------------------------------


def offer(
    t: Texts,
    *,
    offer_id: int,
    language: str,
    place: str | None,
    topics: list[str],
    waited_hours: int,
    answer_minutes: int,
    chosen: str | None = None,
) -> Reply:
    """The offer; once answered (`chosen`: "yes" or "no"), the same text with her choice, no buttons."""
    _ = t.gettext
    if waited_hours < 48:
        waited = t.ngettext("{count} hour", "{count} hours", waited_hours)
    else:
        waited = t.ngettext("{count} day", "{count} days", waited_hours // 24)
    lines = [
        "🌷 " + _("A woman would like to talk with a Bydelsmor."),
        "",
        "• " + _("Language: {language}", language=language),
        "• " + _("Area: {place}", place=place or _("not given")),
        "• " + _("Help with: {topics}", topics=", ".join(topics) if topics else "–"),
        "• " + _("Waiting for: {time}", time=waited),
        "",
        answer_within(t, answer_minutes),
    ]
    yes = "✅ " + _("Yes, I will talk with her")
    no = _("No, not this time")
    if chosen is not None:
        # Edited into the message she pressed: what she chose stays, the buttons go.
        return Reply(text="\n".join([*lines, "", "→ " + (yes if chosen == "yes" else no)]), edit=True)
    return Reply(
        text="\n".join(lines),
        buttons=(
            (Button(yes, f"offer:yes:{offer_id}"),),
            (Button(no, f"offer:no:{offer_id}"),),
            ask_button(t),
        ),
    )


def answer_within(t: Texts, minutes: int) -> str:
    """The real time she has to answer: minutes under an hour (or when not whole hours), else hours."""
    if minutes < 60 or minutes % 60:
        return t.ngettext(
            "Please answer within {count} minute.", "Please answer within {count} minutes.", minutes
        )
    return t.ngettext(
        "Please answer within {count} hour.", "Please answer within {count} hours.", minutes // 60
    )


def offer_closed(t: Texts) -> str:
    return t.gettext("This request is no longer open. Thank you!")


def offer_declined(t: Texts) -> Reply:
    return Reply(text=t.gettext("Thank you for telling us. We will ask another Bydelsmor. 🌷"), edit=False)


def offer_expired(t: Texts) -> Reply:
    return Reply(
        text=t.gettext("The time to answer has passed, so we asked another Bydelsmor. That is all right!")
    )


def first_talk_guide(t: Texts, label: str) -> Reply:
    _ = t.gettext
    tips = "\n".join(
        (
            "• " + _("Listen first. Ask open questions: “How are you?”, “What would help you most?”"),
            "• " + _("Help her find her own way. You do not have to solve everything."),
            "• "
            + _(
                "You are not a case worker, a doctor or a lawyer. Help her find the right place:"
                " the municipality, her doctor, or 1888 for violence. In danger: 112."
            ),
            "• " + _("Write /end when your talks are over."),
        )
    )
    return Reply(
        lead=_("Thank you! 🌷 You are now talking with {label}.", label=label)
        + "\n"
        + _(
            "Write here: the bot passes your messages on."
            " She does not see your phone number or your name in Telegram."
        ),
        text=_("For your first talk:") + "\n" + tips,
    )


# --- Several women: who is this for? --------------------------------------------------------------------


def conversation_label(t: Texts, label: str) -> str:
    return "💬 " + t.gettext("From {label}:", label=label)


def who_is_it_for(t: Texts, labels: list[tuple[int, str]]) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("You talk with more than one woman. Who is this message for?")
        + "\n"
        + _("Tip: answer a message with Telegram's “Reply”, and the bot knows."),
        buttons=tuple((Button(label, f"route:{match_id}"),) for match_id, label in labels),
    )


def switched(t: Texts, label: str) -> Reply:
    return Reply(text=t.gettext("Your messages now go to {label}.", label=label))


def choose_conversation(t: Texts, labels: list[tuple[int, str]]) -> Reply:
    return Reply(
        text=t.gettext("Who do you want to write to?"),
        buttons=tuple((Button(label, f"switch:{match_id}"),) for match_id, label in labels),
    )


def no_conversation(t: Texts) -> Reply:
    return Reply(text=t.gettext("You are not talking with anyone through the bot right now."))


# --- Ending ----------------------------------------------------------------------------------------------


def ask_end_reason(t: Texts, match_id: int) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Do you want to end the talks? Why?"),
        buttons=(
            (Button(_("She is doing better"), f"end:{match_id}:better"),),
            (Button(_("It is getting too much for me"), f"end:{match_id}:too_much"),),
            (Button(_("She needs professional help"), f"end:{match_id}:professional"),),
            (Button(_("Another reason"), f"end:{match_id}:other"),),
            (Button(_("No, go on talking"), f"end:{match_id}:cancel"),),
        ),
    )


def ended_for_bydelsmor(t: Texts, label: str) -> Reply:
    return Reply(
        text=t.gettext("The talks with {label} have ended. Thank you for your help! 🌷", label=label)
    )


def woman_ended(t: Texts, label: str) -> Reply:
    return Reply(text=t.gettext("{label} has ended the talks. Thank you for your help! 🌷", label=label))


# --- What a coordinator did, from the dashboard --------------------------------------------------------


def ended_by_coordinator(t: Texts, label: str) -> Reply:
    return Reply(
        text=t.gettext(
            "Your coordinator has ended the talks with {label}. Thank you for your help! 🌷", label=label
        )
    )


def paused_by_coordinator(t: Texts, until: date) -> Reply:
    day = format_date(until, format="long", locale=t.locale.cldr_code)
    return Reply(
        text=t.gettext(
            "Your coordinator has paused new requests for you until {date}. Your current talks go on.",
            date=day,
        )
    )


def deactivated(t: Texts) -> Reply:
    return Reply(
        text=t.gettext(
            "Your coordinator has stopped new requests for you. Your current talks go on."
            " Please talk to your coordinator if you have questions."
        )
    )


def reactivated(t: Texts) -> Reply:
    return Reply(
        text=t.gettext(
            "Your coordinator has made you active again. We will ask you when a woman needs you. 🌷"
        )
    )
