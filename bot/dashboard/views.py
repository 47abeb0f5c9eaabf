"""What the dashboard's pages show, as plain values (the web layer never sees a database row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = [
    "AlertRow",
    "AuditRow",
    "CandidateRow",
    "CheckinRow",
    "LogEntry",
    "MatchDetail",
    "MatchRow",
    "Media",
    "Note",
    "OfferRow",
    "Overview",
    "ParkedRow",
    "RequestDetail",
    "VolunteerRow",
    "WaitingRow",
]


@dataclass(frozen=True, slots=True)
class OfferRow:
    offer_id: int
    request_id: int
    volunteer_id: int
    volunteer_name: str
    status: str  # bot.domain.matching_states.OfferStatus
    offered_at: datetime
    due_at: datetime
    answered_at: datetime | None
    by_coordinator: bool  # chosen by hand in the dashboard


@dataclass(frozen=True, slots=True)
class WaitingRow:
    request_id: int
    group: str | None
    language: str  # the spoken-language code she wants to talk in
    place: str | None  # "8220 Brabrand", or None when she did not say
    topics: tuple[str, ...]  # HelpTopic values
    waiting_since: datetime
    stalled: bool  # every candidate was asked; the coordinators were alerted
    offer: OfferRow | None  # the open offer, if any


@dataclass(frozen=True, slots=True)
class MatchRow:
    match_id: int
    label: str
    request_id: int
    volunteer_id: int
    volunteer_name: str
    language: str
    group: str | None
    status: str  # "active" | "ended"
    started_at: datetime
    ended_at: datetime | None
    ended_by: str | None
    messages: int
    last_message_at: datetime | None


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    volunteer_id: int
    name: str
    languages: tuple[str, ...]
    place: str | None
    group: str | None
    group_id: int | None
    load: int  # new women this month
    capacity: int
    paused_until: date | None
    active: bool
    joining: bool  # still answering the questions of her invitation
    blocked: bool  # she blocked the bot
    active_matches: int
    last_active_at: datetime | None  # her last message to a woman, or her last answer to an offer
    asked: int = 0  # open offers to her: matching counts them against her room, so the overview does too
    course_done: int = 0  # lessons of the course she has finished (bot.course)
    course_status: str | None = None  # "scheduled", "offered", "paused", "finished"; None: not started

    @property
    def at_capacity(self) -> bool:
        return self.load + self.asked >= self.capacity


@dataclass(frozen=True, slots=True)
class AlertRow:
    alert_id: int
    kind: str  # safety, nobody_left, blocked, too_much, worse, professional
    group: str | None
    created_at: datetime
    request_id: int | None
    match_id: int | None
    reference: str  # "#12 Brabrand"
    danger_kind: str | None = None  # of a "safety" alert: acute, violence, suicide
    danger_language: str | None = None  # the locale code of the words that raised it
    verdict: str | None = None  # the coordinators' judgement: false_alarm, right


@dataclass(frozen=True, slots=True)
class Overview:
    waiting: list[WaitingRow]
    open_offers: list[OfferRow]
    active_matches: list[MatchRow]
    at_capacity: list[VolunteerRow]
    paused: list[VolunteerRow]
    alerts: list[AlertRow]


@dataclass(frozen=True, slots=True)
class CandidateRow:
    volunteer_id: int
    name: str
    group: str | None
    reasons: tuple[tuple[str, str], ...]  # (code, value) from bot.domain.matching.Reason


@dataclass(frozen=True, slots=True)
class Note:
    """Something she told us in her own words: a text, or a voice note or photo to play or show."""

    index: int
    kind: str  # text | voice | photo
    text: str | None


@dataclass(frozen=True, slots=True)
class RequestDetail:
    row: WaitingRow
    status: str  # bot.domain.onboarding.RequestStatus
    notes: list[Note]
    ranked: list[CandidateRow]
    excluded: list[CandidateRow]
    not_speaking: int
    elsewhere: int  # could be asked, but are in groups the viewer does not see (a national admin can)
    offers: list[OfferRow]
    match_id: int | None  # her current match, if she has one


@dataclass(frozen=True, slots=True)
class LogEntry:
    entry_id: int
    at: datetime
    sender: str  # "woman" | "bydelsmor"
    kind: str  # text, voice, photo, document, location ...
    text: str | None  # the text as written (None for a voice note, a photo ...)


@dataclass(frozen=True, slots=True)
class CheckinRow:
    audience: str  # "woman" | "bydelsmor"
    kind: str  # followup | final | scope | quarterly
    due_at: datetime
    status: str  # bot.domain.checkins.CheckinStatus
    answered_at: datetime | None
    answers: dict[str, str]
    comment: str | None
    comment_kind: str | None


@dataclass(frozen=True, slots=True)
class MatchDetail:
    row: MatchRow
    place: str | None
    topics: tuple[str, ...]
    entries: list[LogEntry]
    checkins: list[CheckinRow]
    end_reason: str | None
    womans_group: bool = (
        True  # False for the coordinator of the Bydelsmor's other group: she looks, not changes
    )


@dataclass(frozen=True, slots=True)
class Media:
    """A voice note, photo or file from a log or a request, to fetch from Telegram by its file id."""

    file_id: str
    kind: str


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: datetime
    name: str
    telegram_user_id: int
    action: str
    group: str | None
    subject: str
    detail: str


@dataclass(frozen=True, slots=True)
class ParkedRow:
    """An update that failed three times, by what it was: never her words or her Telegram id."""

    update_id: int
    received_at: datetime
    attempts: int
    error: str  # the error's class, e.g. "IntegrityError"
    kind: str  # Telegram's name for the update: "message", "callback_query", "edited_message" ...


@dataclass(slots=True)
class Page:
    """One page of a long list."""

    rows: list[AuditRow] = field(default_factory=list)
    number: int = 1
    has_next: bool = False
