"""The key screens a Bydelsmor records, and the texts of /listen and /record.

A key screen is named by a short stable key; a recording belongs to (locale, key, hash of the screen's text in
that locale). The texts of a screen are its msgids below: when one of them is translated anew (a new catalog,
an approved suggestion), the hash changes and the recording is outdated until recorded or approved again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.i18n import Texts, UiLocale, texts
from bot.ui import Button, Reply

__all__ = [
    "KEY_SCREENS",
    "KeyScreen",
    "decided",
    "key_screen",
    "listen_question",
    "screen_text",
    "source_hash",
]


@dataclass(frozen=True, slots=True)
class KeyScreen:
    key: str
    parts: tuple[str, ...]  # the msgids of the screen's texts, in the order they are shown


# Most important first: what is kept and the danger answers, then the rest (the order a Bydelsmor records in).
KEY_SCREENS: tuple[KeyScreen, ...] = (
    KeyScreen(
        "consent",
        (
            "Before we start, here is what we keep:",
            "your language",
            "your postcode",
            "what you would like help with",
            "what you tell us in your own words",
            "your messages with your Bydelsmor",
            "Who can read it? Your Bydelsmor. And the coordinator of the local group, to keep you safe.",
            "We never ask for your name, your phone number or your address.",
            "Is that all right?",
        ),
    ),
    KeyScreen(
        "danger_acute",
        (
            "If you are in danger, call 112 now.",
            "Lev Uden Vold helps with violence at home, day and night, free and anonymous: call {number}.",
            "You are not alone. We have told the coordinator of your local group.",
            "You decide what happens next.",
        ),
    ),
    KeyScreen(
        "danger_violence",
        (
            "Lev Uden Vold helps with violence at home, day and night, free and anonymous: call {number}.",
            "You are not alone. We have told the coordinator of your local group.",
            "You decide what happens next.",
        ),
    ),
    KeyScreen(
        "danger_suicide",
        (
            "Livslinien listens if you think of ending your life: call {number}, anonymously.",
            "You are not alone. We have told the coordinator of your local group.",
            "You decide what happens next.",
        ),
    ),
    KeyScreen("listen", ("Would you like to hear the messages as well as read them?",)),
    KeyScreen("greeting", ("Hello, and welcome! 👋", "Shall we write in {language}?")),
    KeyScreen(
        "intro",
        (
            "A Bydelsmor is a woman who lives near you and speaks your language.",
            "Many Bydelsmødre also came to Denmark from another country. They know how it feels to be new.",
            "A Bydelsmor listens and helps you find your way in Denmark. She is a volunteer."
            " It is free and confidential. She does not work for the municipality.",
            "This bot passes your messages to your Bydelsmor and back."
            " She does not see your phone number or your Telegram name.",
            "You can stop and delete everything at any time.",
        ),
    ),
    KeyScreen(
        "postcode",
        (
            "Thank you! 🌷",
            "Where do you live? Write your postcode. It has 4 digits, for example 2200.",
            "Or press “Share my location” below.",
        ),
    ),
    KeyScreen(
        "topics",
        (
            "What would you like help with?",
            "You can choose more than one, or none. Press “Done” when you are ready.",
        ),
    ),
    KeyScreen(
        "note", ("Would you like to tell us a little more? Write a few words, or send a voice message.",)
    ),
    KeyScreen(
        "waiting",
        (
            "Thank you! 🌷",
            "We will write to you here when we have found her. This can take a few days.",
            "Write /mydata to see what we keep. Write /stop to stop and delete everything.",
        ),
    ),
    KeyScreen(
        "matched",
        (
            "Good news! 🌷 {name} is your Bydelsmor. She speaks {language}.",
            "You can write to her here now, or send a voice message. She does not see your phone number.",
        ),
    ),
    KeyScreen("checkin_better", ("Is it going better since your last talk with your Bydelsmor?",)),
    KeyScreen("checkin_courage", ("Do you have more courage to solve your own problems?",)),
    KeyScreen("checkin_network", ("Do you know more people where you live?",)),
    KeyScreen("checkin_society", ("Do you know more about Danish society and where to get help?",)),
    KeyScreen(
        "stop", ("Do you want to stop and delete everything we keep about you?", "This cannot be undone.")
    ),
)
_BY_KEY = {screen.key: screen for screen in KEY_SCREENS}


def key_screen(key: str) -> KeyScreen | None:
    return _BY_KEY.get(key)


def screen_text(screen: KeyScreen, locale: str) -> str:
    """The screen's words in force in a locale, placeholders left as written ("{name}"): what she reads
    aloud. A part with no translation yet is shown in English."""
    t = texts(locale)
    return "\n".join(t.raw(part) or part for part in screen.parts)


def source_hash(screen: KeyScreen, locale: str) -> str:
    return hashlib.sha256(screen_text(screen, locale).encode()).hexdigest()[:16]


# --- The woman: /listen ----------------------------------------------------------------------------------


def listen_question(t: Texts, *, listening: bool | None = None) -> Reply:
    """Asked once right after she chose her language (where it is recorded), and by /listen."""
    _ = t.gettext
    now = ""
    if listening is True:
        now = _("Now you hear the messages.") + "\n\n"
    elif listening is False:
        now = _("Now you only read the messages.") + "\n\n"
    return Reply(
        text="🔊 " + now + _("Would you like to hear the messages as well as read them?"),
        buttons=(
            (Button("🔊 " + _("Yes, I want to listen"), "listen:yes"),),
            (Button(_("No, reading is enough"), "listen:no"),),
        ),
        screen="listen",
    )


def listening_on(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Good. You will hear the messages in your language, when a Bydelsmor has recorded them.")
        + " "
        + _("Write /listen to change this.")
    )


def listening_off(t: Texts) -> Reply:
    _ = t.gettext
    return Reply(text=_("Good. You will read the messages.") + " " + _("Write /listen to change this."))


# --- The Bydelsmor: /record ------------------------------------------------------------------------------


def not_a_bydelsmor(t: Texts) -> Reply:
    return Reply(text=t.gettext("This is for Bydelsmødre who record the bot's messages."))


def no_languages(t: Texts) -> Reply:
    return Reply(text=t.gettext("None of your languages has the bot's messages yet."))


def choose_language(t: Texts, locales: list[UiLocale]) -> Reply:
    return Reply(
        text="🎙 " + t.gettext("Which language do you want to record?"),
        buttons=tuple((Button(locale.native_name, f"rec:lang:{locale.code}"),) for locale in locales),
    )


def ask_keep(t: Texts, code: str) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Before you record: if you stop being a Bydelsmor one day, may we keep your recordings?")
        + "\n"
        + _("Then the women can still hear them. You can withdraw a recording at any time."),
        buttons=(
            (Button(_("Yes, keep them"), f"rec:keep:yes:{code}"),),
            (Button(_("No, delete them when I leave"), f"rec:keep:no:{code}"),),
        ),
    )


def show_screen(
    t: Texts, *, locale: UiLocale, index: int, recorded: int, total: int, text: str, danish: str
) -> Reply:
    _ = t.gettext
    return Reply(
        text="\n\n".join(
            (
                _(
                    "{done} of {total} messages in {language} are recorded.",
                    done=recorded,
                    total=total,
                    language=locale.native_name,
                ),
                _("In {language}:", language=locale.native_name) + "\n" + text,
                _("In Danish:") + "\n" + danish,
                "🎙 "
                + _("Read the text aloud and send it as a voice message.")
                + " "
                + _("Where a name or a number is missing, say it in a general way."),
            )
        ),
        buttons=(
            (Button(_("Skip") + " ▶", f"rec:go:{locale.code}:{index + 1}"), Button(_("Stop"), "rec:stop")),
        ),
    )


def recording_kept(t: Texts, *, recording_id: int, code: str, index: int) -> Reply:
    _ = t.gettext
    return Reply(
        text=_("Thank you! 🌷 A coordinator will listen to it."),
        buttons=(
            (Button("▶ " + _("Listen"), f"rec:play:{recording_id}"),),
            (Button("🔁 " + _("Record again"), f"rec:go:{code}:{index}"),),
            (Button("🗑 " + _("Withdraw"), f"rec:withdraw:{recording_id}"),),
            (Button(_("Next") + " ▶", f"rec:go:{code}:{index + 1}"),),
        ),
    )


def decided(
    t: Texts, *, recording_id: int, approved: bool, reason: str | None, code: str, index: int
) -> Reply:
    """What the Bydelsmor hears back once a coordinator decided on her recording (▶ says which one)."""
    _ = t.gettext
    play = (Button("▶ " + _("Listen"), f"rec:play:{recording_id}"),)
    if approved:
        return Reply(
            text=_("Your recording is approved. Women who listen hear it now. Thank you! 🌷"), buttons=(play,)
        )
    text = _("Your recording was not approved this time.")
    if reason:
        text += "\n" + _("The coordinator says: {reason}", reason=reason)
    return Reply(text=text, buttons=(play, (Button("🔁 " + _("Record again"), f"rec:go:{code}:{index}"),)))


def play_back(t: Texts, file_id: str) -> Reply:
    return Reply(text="▶ " + t.gettext("This is your recording."), voice=file_id)


def withdrawn(t: Texts) -> Reply:
    return Reply(text=t.gettext("Your recording is withdrawn. It will not be sent."))


def all_recorded(t: Texts, locale: UiLocale) -> Reply:
    return Reply(
        text=t.gettext("All messages in {language} are recorded. Thank you! 🌷", language=locale.native_name)
    )


def not_a_voice(t: Texts) -> Reply:
    return Reply(text=t.gettext("Please send a voice message, or press “Skip”."))
