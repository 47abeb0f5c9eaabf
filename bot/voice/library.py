"""The approved recordings in force, and the voice note put above each key screen a listener gets.

Every process keeps the approved recordings in memory and checks a fingerprint of them (one cheap statement)
the first time in a transaction that a woman who listens is shown a key screen: an approval, a re-approval
or a withdrawal made in any process is in force for the next such screen. Women who do not listen cost
nothing. A recording whose source text changed (its hash is not the screen's current hash) is not sent.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui import Outcome, Reply
from bot.voice.screens import key_screen, source_hash
from storage import recordings as store
from storage.models import Person

__all__ = ["RecordingStatus", "dress", "in_force", "refresh", "voice_for", "voiced"]


class RecordingStatus(StrEnum):
    PENDING = "pending"  # waiting for a coordinator
    APPROVED = "approved"  # sent to listeners while its source text is unchanged
    REJECTED = "rejected"  # with the coordinator's reason
    REPLACED = "replaced"  # a newer recording of the same screen was approved
    WITHDRAWN = "withdrawn"  # by the Bydelsmor who made it
    REMOVED = "removed"  # she left and had not agreed to leave it behind; the file id is gone


_SESSION_FLAG = "voice_library_checked"
_state: dict[str, object] = {"version": None}
# (locale, screen key) -> (file id, source hash), the approved recordings (the newest approved one wins).
_approved: dict[tuple[str, str], tuple[str, str]] = {}


async def refresh(session: AsyncSession) -> None:
    """Read the approved recordings again if they changed; at most one look per transaction."""
    if session.info.get(_SESSION_FLAG):
        return
    session.info[_SESSION_FLAG] = True
    version = await store.approved_version(session, approved=RecordingStatus.APPROVED)
    if version == _state["version"]:
        return
    rows = await store.approved_recordings(session, approved=RecordingStatus.APPROVED)
    _approved.clear()
    for row in rows:
        if row.file_id:
            _approved[(row.locale, row.screen_key)] = (row.file_id, row.source_hash)
    _state["version"] = version


def forget_cache() -> None:
    """For tests that change the database under the process's feet (a new database per test)."""
    _approved.clear()
    _state["version"] = None


def in_force(locale: str, key: str) -> str | None:
    """The file id of the approved, current recording of a screen in a locale; None where there is none."""
    found = _approved.get((locale, key))
    screen = key_screen(key)
    if found is None or screen is None:
        return None
    file_id, recorded_hash = found
    return file_id if recorded_hash == source_hash(screen, locale) else None


async def voice_for(session: AsyncSession, *, locale: str, key: str) -> str | None:
    await refresh(session)
    return in_force(locale, key)


async def voiced(session: AsyncSession, reply: Reply, person: Person | None) -> Reply:
    """The reply with its recording above it, if it is a key screen and she chose to listen."""
    if person is None or not person.listen or not person.locale or reply.screen is None or reply.edit:
        return reply
    if reply.voice is not None:
        return reply
    file_id = await voice_for(session, locale=person.locale, key=reply.screen)
    return replace(reply, voice=file_id) if file_id else reply


async def dress(session: AsyncSession, outcome: Outcome, person: Person | None) -> Outcome:
    """Every key screen of an outcome with its recording, for a woman who listens."""
    if person is None or not person.listen:
        return outcome
    outcome.replies = [await voiced(session, reply, person) for reply in outcome.replies]
    return outcome
