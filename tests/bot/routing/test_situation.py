"""The routing table: which flows may take a message, by who wrote it and what she is in the middle of."""

from __future__ import annotations

import pytest

from bot.routing import Route, Situation

R = Route
WOMAN = 7_700_000_001


@pytest.mark.parametrize(
    ("situation", "edited", "routes"),
    [
        # A woman who never wrote, or is on her way through the onboarding: the onboarding answers.
        (Situation(WOMAN), False, (R.ONBOARDING,)),
        (Situation(WOMAN), True, (R.ONBOARDING,)),  # an edited answer too
        # A matched woman's message goes to her Bydelsmor; the onboarding answers only if that declines.
        (Situation(WOMAN, woman_matched=True), False, (R.FROM_WOMAN, R.ONBOARDING)),
        # Her words after "tell us more" are the check-in's, new words only.
        (
            Situation(WOMAN, woman_matched=True, comment_awaited=True),
            False,
            (R.CHECKIN_COMMENT, R.FROM_WOMAN, R.ONBOARDING),
        ),
        (Situation(WOMAN, woman_matched=True, comment_awaited=True), True, (R.FROM_WOMAN, R.ONBOARDING)),
        # A Bydelsmor with women to talk to; if it is not for them, it may be her own message as a woman.
        (
            Situation(WOMAN, bydelsmor=True, bydelsmor_matched=True),
            False,
            (R.FROM_BYDELSMOR, R.ONBOARDING),
        ),
        (
            Situation(WOMAN, bydelsmor=True, bydelsmor_matched=True, woman_matched=True),
            False,
            (R.FROM_BYDELSMOR, R.FROM_WOMAN, R.ONBOARDING),
        ),
        # Joining or editing her profile, writing a better translation: that flow first.
        (
            Situation(WOMAN, bydelsmor=True, profile_question="edit:postcode", bydelsmor_matched=True),
            False,
            (R.PROFILE_ANSWER, R.FROM_BYDELSMOR, R.ONBOARDING),
        ),
        (Situation(WOMAN, bydelsmor=True, translating=True), False, (R.SUGGESTION, R.ONBOARDING)),
        # Her question to her coordinator, before her women; a coordinator's answer to a Bydelsmor's question.
        (
            Situation(WOMAN, bydelsmor=True, bydelsmor_matched=True, asking_coordinator=True),
            False,
            (R.QUESTION, R.FROM_BYDELSMOR, R.ONBOARDING),
        ),
        (Situation(WOMAN, answering_question=True), False, (R.ANSWER, R.ONBOARDING)),
        (Situation(WOMAN, answering_question=True), True, (R.ONBOARDING,)),
        # An edit is never a suggestion or a profile answer: those are new words.
        (
            Situation(WOMAN, bydelsmor=True, translating=True, profile_question="name"),
            True,
            (R.ONBOARDING,),
        ),
    ],
)
def test_a_message_goes_only_where_her_situation_allows(
    situation: Situation, edited: bool, routes: tuple[Route, ...]
) -> None:
    assert situation.routes(edited=edited) == routes


def test_a_bydelsmor_recording_a_screen_is_asked_for_her_voice_note_first() -> None:
    recording = Situation(WOMAN, bydelsmor=True, recording=True, bydelsmor_matched=True)

    assert recording.routes(edited=False) == (R.RECORDING, R.FROM_BYDELSMOR, R.ONBOARDING)
    assert recording.routes(edited=True) == (R.FROM_BYDELSMOR, R.ONBOARDING)
