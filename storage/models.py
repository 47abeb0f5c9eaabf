"""The tables. Every schema change goes through an Alembic migration in storage/migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Base",
    "HelpRequest",
    "Person",
    "ProcessedUpdate",
    "TranslationSuggestion",
    "UtcDateTime",
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
    # Languages her words suggested and she said no to, comma separated: not offered again.
    declined_locales: Mapped[str | None] = mapped_column(String(255))
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

    person: Mapped[Person] = relationship(back_populates="requests")


class ProcessedUpdate(Base):
    """Telegram update ids already handled: Telegram may deliver an update twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(index=True)


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
    created_at: Mapped[datetime]


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
