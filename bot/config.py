"""One Settings object, read from the environment or a .env file and checked at start."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.checkins import parse_durations, parse_quiet_hours

__all__ = ["Settings", "SettingsError", "load_settings"]

# Values people paste from examples; refusing them beats running with a secret everybody knows.
_PLACEHOLDERS = {
    "changeme",
    "change-me",
    "change_me",
    "changethis",
    "secret",
    "xxx",
    "todo",
    "your-token-here",
}
_BOT_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
DEFAULT_DATA_DIR = Path("data")


class SettingsError(Exception):
    """Raised with one readable line per bad setting."""


def _is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in _PLACEHOLDERS or lowered.startswith(("<", "your-", "your_"))


class Settings(BaseSettings):
    """Everything the bot can be configured with. See README.md, "Settings"."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str | None = Field(default=None, description="From BotFather. Unset: run the sandbox.")
    telegram_api_url: str = "https://api.telegram.org"
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    data_key: str | None = Field(default=None, description="Fernet key(s), comma separated, newest first.")
    # PostgreSQL's client tools for `backup` / `restore`; unset: found on the PATH.
    pg_dump: str | None = None
    pg_restore: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8080
    # Where coordinators open the dashboard (the sign-in links point here); unset: http://HOST:PORT.
    dashboard_url: str | None = None
    sandbox_port: int = 8081
    timezone: str = "Europe/Copenhagen"
    consent_retention_days: int = Field(default=365, ge=1, le=3650)
    offer_timeout: str = "4h"  # no answer to an offer within this counts as a decline
    log_retention: str = "365d"  # conversation logs are deleted this long after a match ends
    checkin_after: str = "7d,30d,90d"  # when a woman is asked how it goes, after she met her Bydelsmor
    bydelsmor_checkin_after: str = "14d"  # when a Bydelsmor is asked whether her help stays within bounds
    quiet_hours: str = "20:00-09:00"  # no check-ins then (local time); "off" allows any hour
    course: bool = True  # the Bydelsmødre are offered the course's lessons and its tips (bot.course)
    emergency_number: str = "112"
    violence_helpline: str = "1888"  # Lev Uden Vold, the national hotline on violence in close relations
    suicide_helpline: str = "70 201 201"  # Livslinien, for thoughts of suicide or self-harm
    # Updates handled at once in this process (different chats; one chat's stay in order). 0: one on SQLite
    # (one writer at a time), four on PostgreSQL, where a worker waiting for Telegram lets another work.
    inbox_workers: int = Field(default=0, ge=0, le=32)
    # /metrics answers this computer, and anyone sending "Authorization: Bearer <METRICS_TOKEN>".
    metrics_token: str | None = None
    log_format: Literal["text", "json"] = "text"  # json: one JSON object a line, for a log collector

    @field_validator(
        "bot_token",
        "data_key",
        "webhook_url",
        "webhook_secret",
        "database_url",
        "dashboard_url",
        "metrics_token",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _check_token(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if _is_placeholder(value) or not _BOT_TOKEN.match(value.strip()):
            raise ValueError(
                "BOT_TOKEN does not look like a token from BotFather"
                " (digits, a colon, then about 35 letters)."
                " Leave it unset to run the sandbox."
            )
        return value.strip()

    @field_validator("telegram_api_url", "webhook_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(f"{value!r} is not an http(s) URL.")
        return value.rstrip("/")

    @field_validator("data_key")
    @classmethod
    def _check_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        keys = [k.strip() for k in value.split(",") if k.strip()]
        for key in keys:
            if _is_placeholder(key):
                raise ValueError("DATA_KEY is a placeholder. Make one with: python -m bot genkey")
            try:
                Fernet(key.encode())
            except ValueError:
                raise ValueError(
                    "DATA_KEY must be Fernet keys (32 url-safe base64 bytes), comma separated."
                    " Make one with: python -m bot genkey"
                ) from None
        return ",".join(keys)

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if _is_placeholder(value) or not _WEBHOOK_SECRET.match(value):
            raise ValueError("WEBHOOK_SECRET must be 16-256 characters: letters, digits, _ and -.")
        return value

    @field_validator("metrics_token")
    @classmethod
    def _check_metrics_token(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if _is_placeholder(value) or not _WEBHOOK_SECRET.match(value):
            raise ValueError(
                "METRICS_TOKEN must be 16-256 characters: letters, digits, _ and -."
                ' Make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_log_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"TIMEZONE {value!r} is not a known time zone, e.g. Europe/Copenhagen."
            ) from None
        return value

    @field_validator("dashboard_port", "sandbox_port")
    @classmethod
    def _check_port(cls, value: int) -> int:
        if not 0 <= value <= 65535:
            raise ValueError("a port is a number from 1 to 65535 (0 picks a free one).")
        return value

    @field_validator("offer_timeout", "log_retention")
    @classmethod
    def _check_duration(cls, value: str) -> str:
        parse_duration(value)  # raises with a clear message
        return value

    @field_validator("checkin_after", "bydelsmor_checkin_after")
    @classmethod
    def _check_durations(cls, value: str) -> str:
        parse_durations(value)  # raises with a clear message
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _check_quiet_hours(cls, value: str) -> str:
        parse_quiet_hours(value, ZoneInfo("UTC"))
        return value

    @field_validator("emergency_number", "violence_helpline", "suicide_helpline")
    @classmethod
    def _check_number(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9 +]{3,20}", value.strip()):
            raise ValueError(f"{value!r} is not a phone number (digits, spaces and +).")
        return value.strip()

    @property
    def offer_timeout_delta(self) -> timedelta:
        return parse_duration(self.offer_timeout)

    @property
    def log_retention_delta(self) -> timedelta:
        return parse_duration(self.log_retention)

    @model_validator(mode="after")
    def _check_combinations(self) -> Settings:
        problems = []
        if self.webhook_url and not self.bot_token:
            problems.append("WEBHOOK_URL needs BOT_TOKEN: the sandbox uses no webhook.")
        if self.webhook_url and not self.webhook_url.startswith("https://"):
            problems.append("WEBHOOK_URL must start with https:// (Telegram only pushes to https).")
        if self.webhook_url and not self.webhook_secret:
            problems.append("WEBHOOK_URL needs WEBHOOK_SECRET, so only Telegram can push updates to us.")
        if self.bot_token and not self.data_key:
            problems.append(
                "DATA_KEY is required with BOT_TOKEN: it encrypts the women's messages."
                " Make one with: python -m bot genkey"
            )
        if self.dashboard_url and not self.dashboard_url.startswith(("https://", "http://")):
            problems.append("DASHBOARD_URL must start with https:// (or http:// on this computer only).")
        elif (
            self.bot_token
            and self.dashboard_url
            and self.dashboard_url.startswith("http://")
            and (urlsplit(self.dashboard_url).hostname or "") not in ("127.0.0.1", "localhost", "::1")
        ):
            problems.append(
                "DASHBOARD_URL must be https:// when the bot runs on Telegram: sign-in links and session"
                " cookies must not cross the internet unencrypted (http:// is for this computer only)."
            )
        if problems:
            raise ValueError("\n  ".join(problems))
        return self

    @property
    def sandbox(self) -> bool:
        """No token: run against the local Telegram stand-in."""
        return self.bot_token is None

    @property
    def dashboard_base_url(self) -> str:
        """The address in sign-in links; https makes the session cookie Secure."""
        if self.dashboard_url:
            return self.dashboard_url.rstrip("/")
        host = f"[{self.dashboard_host}]" if ":" in self.dashboard_host else self.dashboard_host
        return f"http://{host}:{self.dashboard_port}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def resolved_database_url(self) -> str:
        """The SQLAlchemy async URL; plain postgres:// and sqlite:// URLs get their async driver."""
        url = self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'bydelsmor.sqlite3'}"
        for plain, driver in (
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if url.startswith(plain):
                return driver + url[len(plain) :]
        return url

    def resolved_data_key(self) -> str:
        """The key in force; the sandbox makes its own once and keeps it in the data folder."""
        if self.data_key:
            return self.data_key
        key_file = self.data_dir / "sandbox-data.key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(Fernet.generate_key().decode() + "\n", encoding="ascii")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="ascii").strip()


def parse_duration(value: str) -> timedelta:
    """ "4h", "30m", "2s", "365d" -> a timedelta (the check-ins' parser, for one duration)."""
    durations = parse_durations(value)
    if len(durations) != 1:
        raise ValueError(f"{value!r} is not one duration such as 30m, 4h or 365d.")
    return durations[0]


def load_settings(**overrides: object) -> Settings:
    """Read and check the settings, or raise SettingsError listing every bad value."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"]).upper() or "settings"
            message = str(problem["msg"]).removeprefix("Value error, ")
            lines.append(f"  {where}: {message}")
        raise SettingsError("The settings have problems:\n" + "\n".join(lines)) from None
