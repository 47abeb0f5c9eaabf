"""Who is writing and what she is in the middle of: looked up once per update, then one route.

The gate asks `Whereabouts.resolve` first thing in the update's unit of work. Her rows are read once, locked,
and remembered for the rest of the transaction (storage.whois), so the use case the message is routed to
finds them without asking the database again. `Situation.routes` is the routing table, as a pure function:
it names the use cases that may take a message, in order; each of them can still decline (a suggestion
window that has closed, a profile edit she left), and the next one is tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.checkins.service import COMMENT_WINDOW
from bot.group.service import ASK_WINDOW
from storage import whois
from storage.db import Database

__all__ = ["Route", "Situation", "Whereabouts"]


class Route(StrEnum):
    SUGGESTION = "suggestion"  # a Bydelsmor writes the better translation she offered to write
    RECORDING = "recording"  # a Bydelsmor's voice note for the key screen she chose to record (bot.voice)
    QUESTION = "question"  # a Bydelsmor writes (or says) her question to her coordinator (bot.group)
    ANSWER = "answer"  # a coordinator writes her answer to a Bydelsmor's question (bot.group)
    PROFILE_ANSWER = "profile_answer"  # a Bydelsmor answers a question while joining or editing her profile
    CHECKIN_COMMENT = "checkin_comment"  # her words after a check-in's "would you like to tell us more?"
    FROM_BYDELSMOR = "from_bydelsmor"  # a Bydelsmor writes to a woman (or it waits until she says to whom)
    FROM_WOMAN = "from_woman"  # a woman writes to the Bydelsmor she talks with
    ONBOARDING = "onboarding"  # everything else: the women's flow answers, or re-asks its question


@dataclass(frozen=True, slots=True)
class Situation:
    """One person at the moment her update arrived. She may be a woman and a Bydelsmor at once."""

    telegram_user_id: int
    woman_matched: bool = False  # she talks with a Bydelsmor now
    bydelsmor: bool = False  # she is an active Bydelsmor
    profile_question: str | None = None  # the joining or profile step she is answering, if any
    translating: bool = False  # she pressed "Suggest" and her next text may be the better translation
    recording: bool = False  # she opened a key screen in /record and her next voice note may be its recording
    bydelsmor_matched: bool = False  # as a Bydelsmor, she talks with at least one woman now
    comment_awaited: bool = False  # a check-in asked her to tell more, within the window
    asking_coordinator: bool = False  # she pressed "Ask my coordinator", within the window
    answering_question: bool = False  # as a coordinator, she pressed "Answer" under a Bydelsmor's question

    def routes(self, *, edited: bool) -> tuple[Route, ...]:
        """The use cases that may take her message, in the order they are asked.

        An edited message is never a suggestion, a recording, a question or an answer to one, a profile
        answer or a comment: those are new words. It may correct a relayed message or an onboarding answer.
        """
        candidates = (
            (Route.SUGGESTION, self.translating and not edited),
            (Route.RECORDING, self.recording and not edited),
            (Route.QUESTION, self.asking_coordinator and not edited),
            (Route.ANSWER, self.answering_question and not edited),
            (Route.PROFILE_ANSWER, self.profile_question is not None and not edited),
            (Route.CHECKIN_COMMENT, self.comment_awaited and not edited),
            (Route.FROM_BYDELSMOR, self.bydelsmor_matched),
            (Route.FROM_WOMAN, self.woman_matched),
            (Route.ONBOARDING, True),
        )
        return tuple(route for route, possible in candidates if possible)


class Whereabouts:
    """Resolves the `Situation` of whoever wrote, in the update's transaction."""

    def __init__(self, *, db: Database) -> None:
        self._db = db

    async def resolve(self, *, telegram_user_id: int, now: datetime) -> Situation:
        async with self._db.transaction() as session:
            found = await whois.look_up(
                session, telegram_user_id=telegram_user_id, comment_since=now - COMMENT_WINDOW
            )
            person, volunteer = found.person, found.volunteer
            # She wrote, so she no longer blocks the bot (Telegram lifts a block when she writes again).
            if person is not None and person.blocked_at is not None:
                person.blocked_at = None
            if volunteer is not None and volunteer.blocked_at is not None:
                volunteer.blocked_at = None
            return Situation(
                telegram_user_id=telegram_user_id,
                woman_matched=found.woman_matched,
                bydelsmor=volunteer is not None,
                profile_question=volunteer.setup_step if volunteer is not None else None,
                translating=bool(volunteer is not None and volunteer.translating),
                recording=bool(volunteer is not None and volunteer.recording),
                bydelsmor_matched=found.volunteer_matched,
                comment_awaited=found.comment_awaited,
                asking_coordinator=bool(
                    volunteer is not None
                    and volunteer.asking_since is not None
                    and volunteer.asking_since >= now - ASK_WINDOW
                ),
                answering_question=found.answering,
            )
