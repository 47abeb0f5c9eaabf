"""Every text the woman reads during onboarding, in her locale. Short sentences, one question at a time."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.domain.geo import Postcode
from bot.domain.onboarding import HelpTopic
from bot.i18n import LOCALES, N_, Texts, texts
from bot.ui import Button, KeyboardKey, Reply

__all__ = ["LANGUAGES_PER_PAGE", "TOPIC_LABELS"]

LANGUAGES_PER_PAGE = 12

TOPIC_LABELS: dict[HelpTopic, tuple[str, str]] = {
    HelpTopic.LETTERS: ("📄", N_("Letters and authorities")),
    HelpTopic.CHILDREN: ("🧒", N_("Children and school")),
    HelpTopic.HEALTH: ("🩺", N_("Health")),
    HelpTopic.WORK: ("💼", N_("Work or education")),
    HelpTopic.DANISH: ("🗣", N_("Learning Danish")),
    HelpTopic.PEOPLE: ("🤝", N_("Meeting people")),
    HelpTopic.FAMILY: ("🏠", N_("Family")),
    HelpTopic.OTHER: ("💬", N_("Something else")),
}


def topic_label(t: Texts, topic: HelpTopic) -> str:
    emoji, label = TOPIC_LABELS[topic]
    return f"{emoji} {t.gettext(label)}"


def place(postcode: Postcode) -> str:
    return f"{postcode.code} {postcode.place}"


# --- 1. Greeting and language -------------------------------------------------------------------------


def greeting(t: Texts, *, also: tuple[str, ...] = ()) -> Reply:
    """Hello in her phone's language; `also`: languages her words may be in, each a button in its own."""
    _ = t.gettext
    others = tuple(
        (
            Button(
                texts(code).gettext("Yes, {language}", language=texts(code).locale.native_name),
                f"lang:set:{code}",
            ),
        )
        for code in also
        if code != t.locale.code
    )
    return Reply(
        text=_("Hello, and welcome! 👋")
        + "\n\n"
        + _("Shall we write in {language}?", language=t.locale.native_name),
        buttons=(
            (Button(_("Yes, {language}", language=t.locale.native_name), f"lang:set:{t.locale.code}"),),
            *others,
            (Button("🌐 " + _("Choose another language"), "lang:page:0"),),
        ),
        screen="greeting",
    )


def choose_language_heading() -> str:
    """ "Choose your language" in the first few languages at once: she may not read the others."""
    first = [texts(locale.code).gettext("Choose your language") for locale in (*LOCALES[:6], LOCALES[-1])]
    return "🌐 " + "\n".join(dict.fromkeys(first))  # once each, in order


def language_picker(t: Texts | None, page: int, *, edit: bool = False, prefix: str = "lang") -> Reply:
    """Every language by its own name, a page at a time; `prefix` says whose choice it is."""
    pages = (len(LOCALES) + LANGUAGES_PER_PAGE - 1) // LANGUAGES_PER_PAGE
    page = max(0, min(page, pages - 1))
    shown = LOCALES[page * LANGUAGES_PER_PAGE : (page + 1) * LANGUAGES_PER_PAGE]
    rows: list[tuple[Button, ...]] = [
        tuple(Button(locale.native_name, _choice(prefix, locale.code)) for locale in shown[i : i + 2])
        for i in range(0, len(shown), 2)
    ]
    paging: list[Button] = []
    if page > 0:
        paging.append(Button("◀", _page(prefix, page - 1)))
    if page < pages - 1:
        paging.append(Button("▶ " + (t.gettext("More languages") if t else "…"), _page(prefix, page + 1)))
    if paging:
        rows.append(tuple(paging))
    heading = "🌐 " + t.gettext("Choose your language") if t else choose_language_heading()
    return Reply(text=heading, buttons=tuple(rows), edit=edit)


def _choice(prefix: str, code: str) -> str:
    return f"lang:set:{code}" if prefix == "lang" else f"{prefix}:{code}"


def _page(prefix: str, page: int) -> str:
    return f"lang:page:{page}" if prefix == "lang" else f"{prefix.replace(':ui', ':uipage')}:{page}"


def language_changed(t: Texts) -> Reply:
    return Reply(text=t.gettext("Good, I will write in {language}.", language=t.locale.native_name))


# --- 2. Introduction and consent ----------------------------------------------------------------------


def introduction(t: Texts) -> Reply:
    """Who the Bydelsmødre are, then how the bot works: two messages, so neither needs scrolling."""
    _ = t.gettext
    who = "\n\n".join(
        (
            _("A Bydelsmor is a woman who lives near you and speaks your language."),
            _(
                "Many Bydelsmødre also came to Denmark from another country."
                " They know how it feels to be new."
            ),
            _(
                "A Bydelsmor listens and helps you find your way in Denmark. She is a volunteer."
                " It is free and confidential. She does not work for the municipality."
            ),
        )
    )
    how = "\n\n".join(
        (
            _(
                "This bot passes your messages to your Bydelsmor and back."
                " She does not see your phone number or your Telegram name."
            ),
            _("You can stop and delete everything at any time."),
        )
    )
    return Reply(text=how, lead=who, buttons=((Button(_("Continue") + " ▶", "intro:next"),),), screen="intro")


def consent_question(t: Texts, retention_days: int) -> Reply:
    _ = t.gettext
    kept = "\n".join(
        (
            "• " + _("your language"),
            "• " + _("your postcode"),
            "• " + _("what you would like help with"),
            "• " + _("what you tell us in your own words"),
            "• " + _("your messages with your Bydelsmor"),
        )
    )
    what_and_who = "\n\n".join(
        (
            _("Before we start, here is what we keep:"),
            kept,
            _("Who can read it? Your Bydelsmor. And the coordinator of the local group, to keep you safe."),
        )
    )
    text = "\n\n".join(
        (
            _("We never ask for your name, your phone number or your address."),
            t.ngettext(
                "We delete it {count} day after your talks with your Bydelsmor end."
                " Or at once, if you write /stop.",
                "We delete it {count} days after your talks with your Bydelsmor end."
                " Or at once, if you write /stop.",
                retention_days,
            ),
            _("Is that all right?"),
        )
    )
    return Reply(
        text=text,
        lead=what_and_who,
        buttons=(
            (Button("✅ " + _("Yes, that is all right"), "consent:yes"),),
            (Button(_("No, thank you"), "consent:no"),),
        ),
        screen="consent",
    )


def consent_refused(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("That is all right. We keep nothing about you, only that you said no.")
        + "\n\n"
        + _("If you change your mind, just write /start. Take care! 🌷"),
    )


# --- 3. Where she lives -------------------------------------------------------------------------------


def postcode_question(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Thank you! 🌷")
        + "\n\n"
        + _("Where do you live? Write your postcode. It has 4 digits, for example 2200.")
        + "\n"
        + _("Or press “Share my location” below."),
        keyboard=postcode_keyboard(t),
        screen="postcode",
    )


def postcode_keyboard(t: Texts) -> tuple[tuple[KeyboardKey, ...], ...]:
    _ = t.gettext
    return (
        (KeyboardKey("📍 " + _("Share my location"), request_location=True),),
        (KeyboardKey(rather_not_say_label(t)),),
    )


def rather_not_say_label(t: Texts) -> str:
    return t.gettext("I would rather not say")


def postcode_unknown(t: Texts, digits: str) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("I could not find the postcode {postcode}.", postcode=digits)
        + "\n"
        + _("Please check the 4 digits and write it again."),
        keyboard=postcode_keyboard(t),
    )


def postcode_not_understood(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("A Danish postcode has 4 digits, for example 8220.")
        + "\n"
        + _("Please write yours, or press “Share my location”."),
        keyboard=postcode_keyboard(t),
    )


def postcode_voice(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("I cannot listen to a voice message here.")
        + "\n"
        + _("Please write your postcode with numbers, or press “Share my location”."),
        keyboard=postcode_keyboard(t),
    )


def location_not_in_denmark(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("That place seems to be outside Denmark.") + "\n" + _("Please write your postcode instead."),
        keyboard=postcode_keyboard(t),
    )


def confirm_location(t: Texts, postcode: Postcode) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("You live near {place}. Is that right?", place=place(postcode)),
        buttons=((Button("✅ " + _("Yes"), "loc:yes"), Button(_("No, I will write it"), "loc:no")),),
    )


def postcode_noted(t: Texts, postcode: Postcode | None) -> Reply:
    _ = t.gettext
    if postcode is None:
        text = _("That is all right. We will look for a Bydelsmor who speaks your language.")
    else:
        text = "✅ " + place(postcode)
    return Reply(text=text, remove_keyboard=True)


def postcode_changed(t: Texts, postcode: Postcode) -> Reply:
    """She corrected her postcode by editing her message after the bot had moved on."""
    return Reply(text="✅ " + t.gettext("I changed your postcode to {place}.", place=place(postcode)))


# --- 4. What she would like help with -----------------------------------------------------------------


def topics_question(t: Texts, chosen: list[str], *, edit: bool = False) -> Reply:
    _ = t.gettext
    rows: list[tuple[Button, ...]] = []
    topics = list(HelpTopic)
    for i in range(0, len(topics), 2):
        rows.append(
            tuple(
                Button(
                    ("✅ " if topic.value in chosen else "") + topic_label(t, topic), f"topic:{topic.value}"
                )
                for topic in topics[i : i + 2]
            )
        )
    rows.append((Button(_("Done") + " ✔", "topic:done"),))
    return Reply(
        text=_("What would you like help with?")
        + "\n"
        + _("You can choose more than one, or none. Press “Done” when you are ready."),
        buttons=tuple(rows),
        edit=edit,
        screen="topics",
    )


def note_question(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Would you like to tell us a little more? Write a few words, or send a voice message."),
        buttons=((Button(_("Skip"), "note:skip"),),),
        screen="note",
    )


def note_kept(t: Texts) -> Reply:
    return Reply(text=t.gettext("Thank you. We keep your words safe. 🌷"))


def note_kept_choose_on(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Thank you, I have noted that.") + " " + _("Choose with the buttons, then press “Done”.")
    )


# --- 5. Summary ---------------------------------------------------------------------------------------


def summary(
    t: Texts, *, spoken_language: str, postcode: Postcode | None, nobody_free: str | None = None
) -> Reply:
    """Her request is complete. `nobody_free`: that nobody is free yet, said instead of "a few days"."""
    _ = t.gettext
    language = t.language_name(spoken_language)
    if postcode is None:
        looking = _("We are now looking for a Bydelsmor who speaks {language}.", language=language)
    else:
        looking = _(
            "We are now looking for a Bydelsmor who speaks {language} near {place}.",
            language=language,
            place=place(postcode),
        )
    return Reply(
        text="\n\n".join(
            (
                _("Thank you! 🌷"),
                looking,
                nobody_free
                or _("We will write to you here when we have found her. This can take a few days."),
                _("Write /mydata to see what we keep. Write /stop to stop and delete everything."),
            )
        ),
        remove_keyboard=True,
        # Recorded without the "nobody is free yet" variant: that one comes as text alone.
        screen=None if nobody_free else "waiting",
    )


def welcome_back_waiting(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Welcome back! 🌷 We are still looking for a Bydelsmor for you."),
        buttons=((Button(_("Change my answers"), "start:change"),),),
    )


def welcome_back(t: Texts) -> Reply:
    return Reply(text=t.gettext("Welcome back! 🌷 Let us carry on where you were."))


# --- Always available ---------------------------------------------------------------------------------


def help_text(t: Texts) -> Reply:
    _ = t.gettext
    commands = "\n".join(
        (
            t.command("/start") + " – " + _("start again"),
            t.command("/language") + " – " + _("change the language"),
            t.command("/mydata") + " – " + _("see what we keep about you"),
            t.command("/end") + " – " + _("end the talks with your Bydelsmor"),
            t.command("/stop") + " – " + _("stop and delete everything"),
            t.command("/help") + " – " + _("this help"),
        )
    )
    return Reply(
        text="\n\n".join(
            (
                _(
                    "I help you find a Bydelsmor: a woman near you who speaks your language"
                    " and helps with everyday life in Denmark. It is free."
                ),
                commands,
                _("In danger? Call 112."),
            )
        )
    )


def my_data(
    t: Texts,
    *,
    consent_given: bool,
    spoken_language: str | None,
    postcode: Postcode | None,
    postcode_declined: bool,
    topics: list[str],
    note_kinds: set[str],
    since: date,
    news: bool = False,
) -> Reply:
    _ = t.gettext
    if not consent_given:
        return Reply(
            text=_("So far we only keep the language you chose, so that we can write to you.")
            + "\n"
            + _("Write /stop to delete it.")
        )
    lines = [_("This is what we keep about you:")]
    lines.append("• " + _("Language: {language}", language=t.language_name(spoken_language or "")))
    if postcode is not None:
        lines.append("• " + _("Postcode: {place}", place=place(postcode)))
    elif postcode_declined:
        lines.append("• " + _("Postcode: you chose not to say"))
    else:
        lines.append("• " + _("Postcode: not given yet"))
    chosen = [topic_label(t, HelpTopic(topic)) for topic in topics if topic in set(HelpTopic)]
    lines.append("• " + _("Help with: {topics}", topics=", ".join(chosen) if chosen else "–"))
    if "text" in note_kinds:
        lines.append("• " + _("Your own words (kept encrypted)"))
    if "voice" in note_kinds:
        lines.append("• " + _("Your voice message (kept encrypted)"))
    if "photo" in note_kinds:
        lines.append("• " + _("Your photos (kept encrypted)"))
    if news:
        lines.append("• " + _("You chose to hear about meetings for women near you (/news)"))
    lines.append("• " + _("Since: {date}", date=format_date(since, format="long", locale=t.locale.cldr_code)))
    return Reply(
        text="\n".join(lines)
        + "\n\n"
        + _("Only your Bydelsmor and the coordinator of the local group can read your messages.")
        + "\n"
        + _("Write /stop to delete everything.")
    )


def stop_question(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Do you want to stop and delete everything we keep about you?")
        + "\n"
        + _("This cannot be undone."),
        buttons=(
            (Button("🗑 " + _("Yes, delete everything"), "stop:yes"),),
            (Button(_("No, keep it"), "stop:no"),),
        ),
        screen="stop",
    )


def erased(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Everything is deleted.")
        + "\n\n"
        + _("If you want to come back, just write /start. Take care! 🌷"),
        remove_keyboard=True,
    )


def nothing_to_erase(t: Texts) -> Reply:
    return Reply(text=t.gettext("We keep nothing about you. If you want to start, write /start."))


def stop_cancelled(t: Texts) -> Reply:
    return Reply(text=t.gettext("Good, nothing is deleted."))


def not_understood(t: Texts) -> Reply:
    return Reply(text=t.gettext("Sorry, I did not understand. Please choose one of the buttons."))


def button_expired(t: Texts) -> str:
    return t.gettext("This button is no longer active.")


def start_first(t: Texts) -> Reply:
    return Reply(text=t.gettext("Write /start to begin."))


def something_went_wrong(t: Texts) -> Reply:
    return Reply(text=t.gettext("Sorry, something went wrong on our side. Please try again in a moment."))


def language_offer(codes: tuple[str, ...], *, current: Texts | None) -> Reply:
    """Offer the language(s) her words suggest, in those languages; the choice stays hers.

    Before she chose a language the second button opens the picker; after, it keeps her language.
    """
    first = texts(codes[0])
    yes = tuple(
        (
            Button(
                texts(code).gettext("Yes, {language}", language=texts(code).locale.native_name),
                f"lang:set:{code}",
            ),
        )
        for code in codes
    )
    if current is None:
        other = Button("🌐 " + first.gettext("Choose another language"), "lang:page:0")
    else:
        other = Button(current.locale.native_name + " ✔", f"lang:no:{codes[0]}")
    return Reply(
        text=first.gettext("Shall we write in {language}?", language=first.locale.native_name),
        buttons=(*yes, (other,)),
    )
