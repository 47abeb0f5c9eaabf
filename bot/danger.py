"""Words of danger in a woman's message: judged in her languages, answered by their kind, told once.

Every message she writes (relayed to her Bydelsmor, written before a match, a check-in comment) is judged
by the rules of her languages only: her interface locale, the language she asked to be helped in, the
languages guessed from the message itself, English and Danish (bot.domain.safety.languages_for). Matching
every language against every message made other languages' everyday words raise alarms.

Each kind has its own answer (bot.matching.screens.danger_help): acute danger to life 112 first, then Lev Uden
Vold; violence, threats, being kept inside, forced marriage, honour-related control or the children taken
Lev Uden Vold; thoughts of suicide Livslinien. One answer a message, the most urgent kind.

She is answered, and the coordinator alerted, once per talks and kind within REPEAT_WINDOW: several alarming
messages in a row get one answer and one alert (the Bydelsmor reads every message anyway), unless a more
urgent kind comes up (violence, then "he is coming with a knife": 112 at once). What is counted is the alert
rows of her match, or of her request before a match; before she has a request (before consent) nothing
links two messages, and each is answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.safety import Kind, assess, languages_for
from bot.i18n import Texts
from bot.language_guess import LanguageGuesser
from bot.matching import screens as match_screens
from bot.matching.service import Matchmaker
from bot.ui import Reply
from storage import matching as store
from storage.models import HelpRequest, Match

__all__ = ["REPEAT_WINDOW", "Danger", "DangerDesk"]

REPEAT_WINDOW: Final = timedelta(minutes=30)
# A kind counts as answered when it, or a more urgent kind, was answered within the window.
_AS_URGENT: Final = {
    Kind.ACUTE: (Kind.ACUTE,),
    Kind.SUICIDE: (Kind.ACUTE, Kind.SUICIDE),
    Kind.VIOLENCE: (Kind.ACUTE, Kind.SUICIDE, Kind.VIOLENCE),
}


@dataclass(frozen=True, slots=True)
class Danger:
    kind: Kind
    language: str  # the locale code of the rule that found it: per language, coordinators judge the rules


class DangerDesk:
    def __init__(self, *, matchmaker: Matchmaker, guesser: LanguageGuesser) -> None:
        self._matchmaker = matchmaker
        self._guesser = guesser

    def judge(
        self,
        text: str | None,
        *,
        languages: Iterable[str | None],
        guesses: tuple[str, ...] | None = None,
    ) -> Danger | None:
        """The most urgent danger in `text`, judged by the rules of her `languages` (interface locale,
        spoken language), of the languages guessed from the text (pass `guesses` when already made) and of
        English and Danish."""
        if not text or not text.strip():
            return None
        if guesses is None:
            # The guesser says nothing about (and does not run its model on) less than a sentence.
            guesses = self._guesser.guess(text)
        found = assess(text, languages=languages_for(*languages, *guesses))
        if found is None:
            return None
        language = next(
            s.language for s in found.signals if s.kind == found.kind and s.phrase == found.phrase
        )
        return Danger(kind=found.kind, language=language)

    async def answer(
        self,
        session: AsyncSession,
        danger: Danger,
        *,
        t: Texts,
        now: datetime,
        match: Match | None = None,
        request: HelpRequest | None = None,
        reference: str = "",
        bydelsmor_reads: bool = False,
    ) -> Reply | None:
        """Alert the coordinators and return her answer; None when these talks had this answer (or a more
        urgent one) within REPEAT_WINDOW. `reference` names her in the alert when there is no match."""
        if await store.danger_alerted_since(
            session,
            request_id=request.id if request is not None else None,
            match_id=match.id if match is not None else None,
            danger_kinds=tuple(str(kind) for kind in _AS_URGENT[danger.kind]),
            since=now - REPEAT_WINDOW,
        ):
            return None
        if match is not None:
            await self._matchmaker.alert_about_match(session, match, "safety", now, danger=danger)
        else:
            await self._matchmaker.alert(
                session,
                group_id=request.group_id if request is not None else None,
                kind="safety",
                reference=reference,
                request_id=request.id if request is not None else None,
                match_id=None,
                now=now,
                danger=danger,
            )
        helplines = self._matchmaker.helplines
        return match_screens.danger_help(t, danger.kind, helplines, bydelsmor_reads=bydelsmor_reads)
