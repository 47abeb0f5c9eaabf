"""`python -m bot recordings list|review|export`, and the listening figures of `python -m bot report`."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from bot.i18n import BY_CODE
from bot.report import MIN_ANSWERS
from bot.voice.library import RecordingStatus
from bot.voice.recordings import Coverage, Recordings

__all__ = ["coverage_lines", "export_recordings", "list_recordings", "listeners_shown", "review_recordings"]


def listeners_shown(count: int) -> str:
    """A count of women, kept back below MIN_ANSWERS as the report does (a small language is a few women)."""
    return str(count) if count == 0 or count >= MIN_ANSWERS else f"<{MIN_ANSWERS}"


def coverage_lines(coverage: list[Coverage]) -> list[str]:
    if not coverage:
        return ["Listening: no woman has chosen to listen, and no recording is approved yet."]
    lines = ["Listening (per language: women who chose to hear the messages; key screens recorded)"]
    for row in coverage:
        name = BY_CODE[row.locale].native_name if row.locale in BY_CODE else row.locale
        lines.append(
            f"  {row.locale:<8} {name:<22} listening {listeners_shown(row.listeners):>4}   "
            f"recorded {row.recorded:>2} of {row.total} ({100 * row.recorded // row.total} %)"
        )
    return lines


async def list_recordings(recordings: Recordings, *, locale: str | None) -> list[str]:
    return [
        f"#{item.id:<4} [{item.locale}] {item.screen_key:<16} {item.status:<9}"
        f"{' outdated' if item.outdated else ''}  by {item.by or '-'}  {item.created_at:%Y-%m-%d %H:%M}"
        for item in await recordings.review_items(locale=locale)
    ]


async def review_recordings(
    recordings: Recordings,
    *,
    locale: str | None,
    ask: Callable[[str], str],
    listen_at: str,
    out: TextIO = sys.stdout,
    who: str,
    now: Callable[[], datetime],
) -> tuple[int, int]:
    """Go through the waiting recordings one by one: a(pprove), r(eject, with a reason), s(kip), q(uit).

    A terminal cannot play them: each is heard at its address in the dashboard (signed in).
    """
    approved = rejected = 0
    waiting = await recordings.review_items(locale=locale, statuses=(RecordingStatus.PENDING,))
    for item in waiting:
        print(f"\n#{item.id} [{item.locale}] {item.screen_key} by {item.by or 'unknown'}", file=out)
        print(f"  Hear it:  {listen_at}/media/recording/{item.id}", file=out)
        print("  Text:     " + item.text.replace("\n", "\n            "), file=out)
        print("  Danish:   " + item.danish.replace("\n", "\n            "), file=out)
        answer = ask("Approve, reject, skip or quit? [a/r/s/q] ").strip().lower()[:1]
        if answer == "q":
            break
        if answer == "a":
            await recordings.decide(recording_id=item.id, approve=True, who=who, now=now())
            approved += 1
        elif answer == "r":
            reason = ask("Why? (the Bydelsmor can be told) ")
            await recordings.decide(recording_id=item.id, approve=False, reason=reason, who=who, now=now())
            rejected += 1
    return approved, rejected


async def export_recordings(recordings: Recordings, *, locale: str | None) -> str:
    """The approved recordings as CSV: what is said where, and Telegram's file id to send it by."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "locale", "screen", "outdated", "recorded_by", "recorded_at", "text"])
    for item in await recordings.review_items(locale=locale, statuses=(RecordingStatus.APPROVED,)):
        writer.writerow(
            [
                item.id,
                item.locale,
                item.screen_key,
                item.outdated,
                item.by or "",
                item.created_at.isoformat(),
                item.text,
            ]
        )
    return buffer.getvalue()
