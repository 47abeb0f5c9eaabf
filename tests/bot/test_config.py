from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.config import SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "BOT_TOKEN",
        "DATA_KEY",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "DATABASE_URL",
        "TIMEZONE",
        "METRICS_TOKEN",
        "LOG_FORMAT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout


def test_no_token_means_the_sandbox_with_its_own_key(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    assert settings.sandbox
    key = settings.resolved_data_key()
    assert key == settings.resolved_data_key()  # made once, then kept
    assert (tmp_path / "data" / "sandbox-data.key").stat().st_mode & 0o777 == 0o600
    assert settings.resolved_database_url().startswith("sqlite+aiosqlite:///")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bot_token": "changeme"}, "BOT_TOKEN does not look like a token"),
        ({"bot_token": TOKEN}, "DATA_KEY is required with BOT_TOKEN"),
        ({"bot_token": TOKEN, "data_key": "changeme"}, "DATA_KEY is a placeholder"),
        ({"bot_token": TOKEN, "data_key": "not-a-key"}, "DATA_KEY must be Fernet keys"),
        ({"timezone": "Mars/Olympus"}, "TIMEZONE 'Mars/Olympus' is not a known time zone"),
        ({"dashboard_port": 70000}, "a port is a number"),
        ({"webhook_url": "https://bot.example.org"}, "WEBHOOK_URL needs BOT_TOKEN"),
        ({"metrics_token": "changeme"}, "METRICS_TOKEN must be 16-256 characters"),
        ({"metrics_token": "your-metrics-token-here"}, "METRICS_TOKEN must be 16-256 characters"),
        ({"metrics_token": "short"}, "METRICS_TOKEN must be 16-256 characters"),
        ({"log_format": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(**overrides)


def test_a_webhook_needs_https_and_a_secret() -> None:
    key = Fernet.generate_key().decode()
    with pytest.raises(SettingsError, match="must start with https"):
        load_settings(
            bot_token=TOKEN, data_key=key, webhook_url="http://bot.example.org", webhook_secret="s" * 20
        )
    with pytest.raises(SettingsError, match="WEBHOOK_URL needs WEBHOOK_SECRET"):
        load_settings(bot_token=TOKEN, data_key=key, webhook_url="https://bot.example.org")
    settings = load_settings(
        bot_token=TOKEN, data_key=key, webhook_url="https://bot.example.org/", webhook_secret="s" * 20
    )
    assert settings.webhook_url == "https://bot.example.org"


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(timezone="Nowhere", dashboard_port=-1)
    assert "TIMEZONE" in str(raised.value)
    assert "DASHBOARD_PORT" in str(raised.value)


@pytest.mark.parametrize(
    ("given", "resolved"),
    [
        ("postgresql://bot@db/bydelsmor", "postgresql+asyncpg://bot@db/bydelsmor"),
        ("postgres://bot@db/bydelsmor", "postgresql+asyncpg://bot@db/bydelsmor"),
        ("sqlite:///data/x.sqlite3", "sqlite+aiosqlite:///data/x.sqlite3"),
        ("postgresql+asyncpg://bot@db/b", "postgresql+asyncpg://bot@db/b"),
    ],
)
def test_database_urls_get_their_async_driver(given: str, resolved: str) -> None:
    assert load_settings(database_url=given).resolved_database_url() == resolved


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("BOT_TOKEN", "")
    settings = load_settings()
    assert settings.timezone == "Europe/Berlin"
    assert settings.sandbox


def test_every_bad_combination_is_listed_at_once() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(bot_token=TOKEN, webhook_url="http://bot.example.org")
    message = str(raised.value)
    assert "must start with https" in message
    assert "WEBHOOK_URL needs WEBHOOK_SECRET" in message
    assert "DATA_KEY is required" in message


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"checkin_after": "soon"}, "CHECKIN_AFTER"),
        ({"quiet_hours": "20-9"}, "QUIET_HOURS"),
        ({"offer_timeout": "0h"}, "OFFER_TIMEOUT"),
    ],
)
def test_schedule_settings_are_checked(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(**overrides)


def test_quiet_hours_may_be_off() -> None:
    assert load_settings(quiet_hours="off", checkin_after="2s,4s").quiet_hours == "off"


def test_metrics_token_and_log_format_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METRICS_TOKEN", "k" * 32)
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    settings = load_settings()
    assert (settings.metrics_token, settings.log_format) == ("k" * 32, "json")
    monkeypatch.setenv("METRICS_TOKEN", " ")
    monkeypatch.delenv("LOG_FORMAT")
    assert (load_settings().metrics_token, load_settings().log_format) == (None, "text")
