"""The words of the onboarding: its steps, consent states and help topics. No I/O."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ConsentStatus", "HelpTopic", "RequestStatus", "Step"]


class Step(StrEnum):
    """Where a woman is in the onboarding. Stored, so a restart continues where she was."""

    LANGUAGE = "language"  # greeted; keep the suggested language or pick another
    INTRO = "intro"  # reads who the Bydelsmødre are
    CONSENT = "consent"  # asked whether we may keep what she tells us
    POSTCODE = "postcode"  # asked for her postcode or location
    CONFIRM_LOCATION = "confirm_location"  # shared a location; asked if the nearest postcode is right
    TOPICS = "topics"  # choosing what she would like help with
    NOTE = "note"  # "something else": may tell in her own words or a voice note
    WAITING = "waiting"  # done; her request waits for a Bydelsmor
    REFUSED = "refused"  # said no to consent; nothing else is kept


class ConsentStatus(StrEnum):
    PENDING = "pending"  # not asked yet, or not answered
    GIVEN = "given"  # said yes to the consent text
    REFUSED = "refused"  # said no; we keep only that


class RequestStatus(StrEnum):
    DRAFT = "draft"  # she is still answering the questions
    WAITING = "waiting"  # complete; waits to be matched with a Bydelsmor
    MATCHED = "matched"  # a Bydelsmor accepted; they talk through the bot
    CLOSED = "closed"  # the talks ended (or she asked for another Bydelsmor: a new request follows)


class HelpTopic(StrEnum):
    """What a woman can ask for help with; the order is the order of the buttons."""

    LETTERS = "letters"  # letters and the authorities
    CHILDREN = "children"  # children and school
    HEALTH = "health"
    WORK = "work"  # work or education
    DANISH = "danish"  # learning Danish
    PEOPLE = "people"  # meeting people
    FAMILY = "family"
    OTHER = "other"  # something else: she may say what in her own words
