"""The tables. Every schema change goes through an Alembic migration in storage/migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Alert",
    "Announcement",
    "AnnouncementAnswer",
    "AnnouncementTranslation",
    "AuditEntry",
    "Base",
    "Checkin",
    "Coordinator",
    "CoordinatorQuestion",
    "DashboardSession",
    "Group",
    "HelpRequest",
    "InboxUpdate",
    "Invite",
    "LoginLink",
    "Match",
    "MessageLog",
    "Offer",
    "OutboxMessage",
    "Person",
    "TranslationSuggestion",
    "UtcDateTime",
    "VoiceRecording",
    "Volunteer",
]


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite keeps no time zone, so we store UTC and restore it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (time is a parameter, `now`)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: dict[Any, Any] = {datetime: UtcDateTime()}  # noqa: RUF012 - SQLAlchemy's API


class Person(Base):
    """Someone who wrote to the bot. Holds no name, phone number or address."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(16), default="woman")  # "woman" (Bydelsmødre come later)
    locale: Mapped[str | None] = mapped_column(String(16))  # interface locale, see bot.i18n
    step: Mapped[str] = mapped_column(String(32))  # bot.domain.onboarding.Step
    consent: Mapped[str] = mapped_column(String(16))  # bot.domain.onboarding.ConsentStatus
    consent_changed_at: Mapped[datetime | None]
    referral: Mapped[str | None] = mapped_column(String(64))  # the poster's deep-link payload she came with
    blocked_at: Mapped[datetime | None]  # she blocked the bot (Telegram answered 403)
    # Languages her words suggested and she said no to, comma separated: not offered again.
    declined_locales: Mapped[str | None] = mapped_column(String(255))
    # She chose to hear the key screens as voice notes too (bot.voice); None: not asked yet.
    listen: Mapped[bool | None] = mapped_column(Boolean)
    # She chose to hear about meetings for women near her (bot.group); off until she says yes.
    news: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    requests: Mapped[list[HelpRequest]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class HelpRequest(Base):
    """What a woman would like help with, and where: the input to matching."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # bot.domain.onboarding.RequestStatus
    spoken_language: Mapped[str] = mapped_column(String(16))  # the language she wants to talk in
    postcode: Mapped[str | None] = mapped_column(String(4))
    postcode_declined: Mapped[bool] = mapped_column(Boolean, default=False)  # she chose not to tell
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # bot.domain.onboarding.HelpTopic values
    # Her own words: a JSON list of {kind, value} (text, or a voice note's or photo's file id), encrypted.
    note_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    note_kind: Mapped[str | None] = mapped_column(String(32))  # what the notes hold: e.g. "text,voice"
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]  # when she finished the questions
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    matched_at: Mapped[datetime | None]
    # When every candidate had been asked and nobody was free: the coordinators were alerted then.
    stalled_at: Mapped[datetime | None]
    # Bydelsmødre she does not want again ("I would like another Bydelsmor"), as volunteer ids.
    not_with: Mapped[list[int]] = mapped_column(JSON, default=list)

    person: Mapped[Person] = relationship(back_populates="requests")


class Volunteer(Base):
    """A Bydelsmor. Matching (groups, capacity, offers) builds on this; today she can review translations."""

    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(64))  # the name women will see; a first name is enough
    spoken_languages: Mapped[list[str]] = mapped_column(
        JSON, default=list
    )  # ISO 639 codes, e.g. ["so", "ar"]
    postcode: Mapped[str | None] = mapped_column(String(4))
    capacity_per_month: Mapped[int] = mapped_column(Integer, default=3)
    locale: Mapped[str | None] = mapped_column(String(16))  # the interface locale of her bot messages
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The text she is writing a better translation for, as "<locale>:<text key>"; None when not writing one.
    translating: Mapped[str | None] = mapped_column(String(32))
    translating_since: Mapped[datetime | None]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    paused_until: Mapped[date | None] = mapped_column(Date)  # no new women up to and including this day
    last_offered_at: Mapped[datetime | None]  # fairness: the least recently asked is asked first
    setup_step: Mapped[str | None] = mapped_column(String(16))  # joining or editing: the question asked now
    current_match_id: Mapped[int | None]  # where her messages go when she talks with several women
    # Her messages waiting for "who is this for?", in order: an encrypted JSON list of
    # {message_id, kind, text, file_id} (bot.relay.service); None when nothing waits.
    pending_messages_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    setup_since: Mapped[datetime | None]  # when the current profile question was asked
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # The screen she is recording now, as "<locale>:<screen key>" (bot.voice); None when not recording.
    recording: Mapped[str | None] = mapped_column(String(48))
    recording_since: Mapped[datetime | None]
    # Her answer, asked once before her first recording: keep her recordings if she leaves? None: not asked.
    keep_recordings: Mapped[bool | None] = mapped_column(Boolean)
    # She pressed "Ask my coordinator": her next message is the question (bot.group); None otherwise.
    asking_since: Mapped[datetime | None]


class VoiceRecording(Base):
    """A Bydelsmor's voice note of one key screen in one locale, for women who chose to listen (bot.voice).

    It is sent only while approved and while `source_hash` is the hash of the screen's current text in that
    locale: a changed text makes it outdated until it is recorded or approved again.
    """

    __tablename__ = "voice_recordings"
    __table_args__ = (Index("ix_voice_recordings_locale_screen", "locale", "screen_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(16))
    screen_key: Mapped[str] = mapped_column(String(32))  # bot.voice.screens.KEY_SCREENS
    source_hash: Mapped[str] = mapped_column(String(16))  # of the text she read aloud
    file_id: Mapped[str | None] = mapped_column(String(255))  # Telegram's file id; None once removed
    duration: Mapped[int] = mapped_column(Integer, default=0)  # seconds
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    keep_after_leaving: Mapped[bool] = mapped_column(Boolean, default=False)  # she agreed when recording
    status: Mapped[str] = mapped_column(String(16), index=True)  # bot.voice.recordings.RecordingStatus
    reason: Mapped[str | None] = mapped_column(String(255))  # why a coordinator rejected it
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))


class TranslationSuggestion(Base):
    """A Bydelsmor's better wording for one bot text in one locale, waiting for a coordinator."""

    __tablename__ = "translation_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(16), index=True)
    msgid: Mapped[str] = mapped_column(Text)  # the English source text (the singular, for plural texts)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # bot.domain.translations.SuggestionStatus
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))  # who approved or rejected it


class Group(Base):
    """A local Bydelsmødre group and the postcodes it covers."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)  # for poster links: /start <slug>
    postcodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]


class Coordinator(Base):
    """A coordinator of a local group (or, with is_admin, of all groups). Gets alerts in Telegram."""

    __tablename__ = "coordinators"
    __table_args__ = (UniqueConstraint("telegram_user_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    # She pressed "Answer" under a Bydelsmor's question: her next message is the answer (bot.group).
    answering_question_id: Mapped[int | None]
    answering_since: Mapped[datetime | None]


class CoordinatorQuestion(Base):
    """A Bydelsmor's question to her coordinators ("Ask my coordinator"), and the answer she got."""

    __tablename__ = "coordinator_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "text" | "voice"
    # Her words, or her voice note's Telegram file id: encrypted, like every message about someone.
    content_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    asked_at: Mapped[datetime]
    answer_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    answered_at: Mapped[datetime | None] = mapped_column(index=True)
    answered_by: Mapped[str | None] = mapped_column(String(64))  # the coordinator's name


class Announcement(Base):
    """A coordinator's news for her group: a meeting, a course, a celebration (bot.group).

    Not about anyone, so stored in the clear. Sent to the group's Bydelsmødre as written; one marked for
    women goes to the women who chose to hear news, only in the languages it was translated into.
    """

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    for_women: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # Telegram's file id of its photo, uploaded once to the coordinator's own chat and sent on by id.
    photo_file_id: Mapped[str | None] = mapped_column(String(255), default=None)


class AnnouncementAnswer(Base):
    """A Bydelsmor's "I'll come" or "I can't" to an announcement; her last press counts."""

    __tablename__ = "announcement_answers"
    __table_args__ = (UniqueConstraint("announcement_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    coming: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime]


class AnnouncementTranslation(Base):
    """A Bydelsmor's translation of an announcement for women; sent once a coordinator approves it."""

    __tablename__ = "news_translations"
    __table_args__ = (Index("ix_news_translations_announcement_locale", "announcement_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # pending | approved | rejected
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))


class Invite(Base):
    """A single-use link by which a Bydelsmor joins a group."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(BigInteger)


class Offer(Base):
    """One Bydelsmor asked to take one request."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # bot.domain.matching_states.OfferStatus
    reasons: Mapped[list[list[str]]] = mapped_column(JSON, default=list)  # why she was asked: [code, value]
    offered_at: Mapped[datetime]
    due_at: Mapped[datetime] = mapped_column(index=True)  # no answer by then counts as a decline
    answered_at: Mapped[datetime | None]


class Match(Base):
    """A woman and her Bydelsmor, talking through the bot."""

    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # "active" | "ended"
    label: Mapped[str] = mapped_column(String(64))  # how the Bydelsmor sees her: "#12 Brabrand"
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(16))  # "woman" | "bydelsmor" | "coordinator"
    end_reason: Mapped[str | None] = mapped_column(String(32))


class MessageLog(Base):
    """Every relayed message, for the coordinators' review; content encrypted; deleted after LOG_RETENTION."""

    __tablename__ = "message_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(16))  # "woman" | "bydelsmor"
    kind: Mapped[str] = mapped_column(String(16))  # text, voice, photo, document, location, video_note ...
    content_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)  # text, or the file id
    source_message_id: Mapped[int] = mapped_column(BigInteger)  # in the sender's chat
    copy_message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # in the receiver's chat
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """A Bot API call to a third party, written with the state change it belongs to and sent afterwards."""

    __tablename__ = "outbox"
    # The next rows to send, conversations first, then each chat's turn (bot.outbox.OutboxSender's claim),
    # without sorting them all.
    __table_args__ = (Index("ix_outbox_status_priority_turn_id", "status", "priority", "turn", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # Whose message this carries (copyMessage's from_chat_id, or the author of an edited relayed text):
    # plain, so erasing her deletes every row to or from her with one DELETE.
    from_chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    method: Mapped[str] = mapped_column(String(32))  # sendMessage, copyMessage, editMessageText
    # The Bot API call's parameters as encrypted JSON: they hold texts about her and texts she wrote.
    payload_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), index=True)  # bot.outbox.OutboxStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]  # when a sender took it (status "sending")
    last_error: Mapped[str | None] = mapped_column(String(255))
    log_id: Mapped[int | None] = mapped_column(ForeignKey("message_log.id", ondelete="SET NULL"))
    # bot.outbox.CONVERSATION (someone's words, an offer, an alert: sent first) or BULK (check-ins, lessons,
    # announcements: they take what conversations leave); lower goes first.
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # The second (from bot.outbox.TURN_EPOCH) at which it would go at its chat's pace of one a second. Rows
    # are sent by turn before age: a woman who writes once is not kept behind another's fifth message.
    turn: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Alert(Base):
    """Something a coordinator should look at (also sent to her in Telegram)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # safety, nobody_left, blocked, too_much, professional
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    # A "safety" alert: the kind of danger (acute, violence, suicide) and the language of the rule that
    # found it (a locale code), never her words. The coordinator's verdict (false_alarm, right) tells per
    # language how often the rules cry wolf.
    danger_kind: Mapped[str | None] = mapped_column(String(16))
    danger_language: Mapped[str | None] = mapped_column(String(16))
    verdict: Mapped[str | None] = mapped_column(String(16))
    verdict_at: Mapped[datetime | None]


class Checkin(Base):
    """A follow-up question to a woman or a Bydelsmor: a row with a due time, never a pickled job."""

    __tablename__ = "checkins"
    __table_args__ = (
        # One quarterly check-in per Bydelsmor and quarter, whatever number of processes try to add it.
        UniqueConstraint("volunteer_id", "kind", "period"),
        Index("ix_checkins_status_sent_at", "status", "sent_at"),
        # The gate asks on every update whether a check-in waits for her words (bot.routing).
        Index("ix_checkins_chat_id_awaiting_comment", "chat_id", "awaiting_comment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)  # whom to ask
    audience: Mapped[str] = mapped_column(String(16))  # "woman" | "bydelsmor"
    kind: Mapped[str] = mapped_column(String(16))  # followup | final | scope | quarterly
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)  # in the order they are asked
    due_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # bot.domain.checkins.CheckinStatus
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # question -> answer
    awaiting_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    comment_asked_at: Mapped[datetime | None]  # "tell us more" was shown then; her words count for a while
    period: Mapped[str | None] = mapped_column(String(8))  # a quarterly check-in's quarter, e.g. "2026Q2"
    comment_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    comment_kind: Mapped[str | None] = mapped_column(String(8))  # "text" | "voice"
    created_at: Mapped[datetime]


class LoginLink(Base):
    """A one-time sign-in link for the dashboard, sent by the bot on /login. Only its hash is kept."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)  # the coordinator it is for
    name: Mapped[str] = mapped_column(String(64))  # her Telegram first name, for the audit log
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DashboardSession(Base):
    """A signed-in coordinator's browser. The cookie holds the token; only its hash is kept."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))  # every form of this session carries it
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))  # "da" | "en": the dashboard's language
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]  # signed out


class AuditEntry(Base):
    """Who looked at or changed what in the dashboard, and when. Holds ids, never what was said."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)  # the coordinator
    name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # bot.dashboard.access.Action
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(String(64), default="")  # e.g. "match:12", "request:7"
    detail: Mapped[str] = mapped_column(String(255), default="")  # e.g. the reason, never message content


class InboxUpdate(Base):
    """A Telegram update as it arrived, stored before Telegram is told so; handled from here (bot.inbox)."""

    __tablename__ = "inbox"
    # The next update to handle, in order, without reading every pending one (storage.inbox.claim_next).
    __table_args__ = (Index("ix_inbox_status_queue_position", "status", "queue_position"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)  # one chat's updates in order
    payload_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)  # the raw JSON; cleared once handled
    status: Mapped[str] = mapped_column(String(16), index=True)  # bot.inbox.InboxStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed handlings
    received_at: Mapped[datetime] = mapped_column(index=True)
    not_before: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(64))  # the error's class when parked, never its text
    # Lower is handled first: the update id, less storage.inbox.HEAD_START for someone the bot does not know
    # yet (her first answer must not wait behind the later steps of hundreds of others in a burst).
    queue_position: Mapped[int] = mapped_column(BigInteger, server_default="0")


class CourseProgress(Base):
    """A Bydelsmor's way through the course (bot.course): the row is the truth the tick sends from."""

    __tablename__ = "course_progress"

    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True
    )
    lessons_done: Mapped[int] = mapped_column(Integer, default=0)  # 0..6, in order
    # "scheduled" (the next lesson is offered at next_due_at), "offered" (waits for her), "paused", "finished"
    status: Mapped[str] = mapped_column(String(16), index=True)
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)
    offered_at: Mapped[datetime | None]
    # Her answers to the practice questions: lesson id -> option number (1-3), for the coordinator's view.
    practice_answers: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CourseTalk(Base):
    """Talk days counted for one match: a Bydelsmor gets one course tip before her 2nd and 3rd talk."""

    __tablename__ = "course_talks"

    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), primary_key=True)
    talk_days: Mapped[int] = mapped_column(Integer)  # local days with relayed messages seen so far
    last_talk_on: Mapped[date] = mapped_column(Date)
    tips_sent: Mapped[int] = mapped_column(Integer, default=0)


class CourseLessonText(Base):
    """A coordinator's replacement of one lesson's title and screens in one language; in force at once."""

    __tablename__ = "course_lesson_texts"
    __table_args__ = (UniqueConstraint("locale", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(16))
    lesson_id: Mapped[str] = mapped_column(String(48))
    title: Mapped[str] = mapped_column(String(200))
    screens: Mapped[list[str]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
