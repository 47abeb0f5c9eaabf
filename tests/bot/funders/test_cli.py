"""`python -m bot report --format html|csv|json` over the sandbox's demo history, with --group, --since and
--until; and the demo history itself gives every measure of the whole country five answers or more."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from bot.__main__ import main
from bot.demo import DEMO_GROUP, seed_demo, seed_demo_history
from bot.funders import Period, funders_report
from storage.crypto import FieldCipher
from storage.db import Database, create_engine
from storage.migrate import upgrade
from tests.conftest import Clock

MEASURES = ("woman_better", "woman_courage", "woman_network", "woman_society",
            "bydelsmor_network", "bydelsmor_society", "bydelsmor_courage")  # fmt: skip


async def _seeded(url: str, now: datetime) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    db = Database(engine, FieldCipher(Fernet.generate_key().decode()))
    await seed_demo(db, now=now)
    assert await seed_demo_history(db, now=now)
    assert not await seed_demo_history(db, now=now)  # made once
    await db.dispose()


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}"
    asyncio.run(_seeded(url, datetime.now(UTC)))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATA_KEY", Fernet.generate_key().decode())
    monkeypatch.delenv("BOT_TOKEN", raising=False)


def report(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert main(["report", *arguments]) == 0
    return capsys.readouterr().out


def test_the_three_formats_give_the_same_figures(
    demo_database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = json.loads(report(capsys, "--format", "json"))
    assert figures["scope"] == "Hele landet" and figures["whole_country"] is True
    better = figures["figures"]["women"]["woman_better"]
    assert better["n"] >= 5 and better["evaluation_2015"] == 0.89 and isinstance(better["value"], float)
    rows = list(csv.DictReader(io.StringIO(report(capsys, "--format", "csv"))))
    by_figure = {row["figure"]: row for row in rows}
    assert float(by_figure["woman_better"]["value"]) == better["value"]
    assert by_figure["women_reached"]["value"] == str(figures["figures"]["reached"]["women_reached"]["value"])
    page = report(capsys, "--format", "html")
    assert "<h2>Hvad det gav kvinderne</h2>" in page and f"{round(better['value'] * 100)} %" in page
    assert "Bydelsmødre i Telegram: resultater" in report(capsys, "--format", "html", "--group", DEMO_GROUP)


def test_a_period_with_until_and_a_group_without_figures(
    demo_database: None, capsys: pytest.CaptureFixture[str]
) -> None:
    long_ago = json.loads(
        report(capsys, "--format", "json", "--since", "2020-01-01", "--until", "2020-12-31")
    )
    assert long_ago["period"] == {"first": "2020-01-01", "last": "2020-12-31"}
    assert long_ago["figures"]["reached"]["women_reached"]["value"] == 0
    assert long_ago["figures"]["women"]["woman_better"] == {
        "value": "for få svar til at vise",
        "n": 0,
        "evaluation_2015": 0.89,
    }
    other = json.loads(report(capsys, "--format", "json", "--group", "Bydelsmødre Vollsmose"))
    assert (
        other["scope"] == "Bydelsmødre Vollsmose"
        and other["figures"]["reached"]["women_reached"]["value"] == 0
    )
    assert main(["report", "--format", "csv", "--since", "2026-02-01", "--until", "2026-01-01"]) == 2
    assert "is after --until" in capsys.readouterr().err


def test_text_stays_the_default(demo_database: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert "All groups and languages" in report(capsys)


async def test_the_demo_history_shows_every_measure_of_the_whole_country(
    database: Database, clock: Clock
) -> None:
    await seed_demo(database, now=clock())
    assert await seed_demo_history(database, now=clock())
    today = clock().date()
    result = await funders_report(
        database, groups=None, period=Period(today - timedelta(days=365), today), zone=ZoneInfo("UTC")
    )
    shown = {m.key: m for m in [*result.woman_measures, *result.bydelsmor_measures]}
    assert set(shown) == set(MEASURES)
    assert all(m.share is not None and m.n >= 5 for m in shown.values()), shown
    assert result.women_reached == 36 and result.women_new == 36
    assert result.nobody_free and result.hard_answers[0].share is not None
