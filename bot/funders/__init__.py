"""Results the way funders read them: `python -m bot report --format html|csv|json` and the dashboard's
"Print for funders" page (issue 13). figures.py builds the figures; render.py writes them out."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from bot.funders.figures import WHOLE_COUNTRY, FundersReport, Period, build, collect_facts
from storage.db import Database

__all__ = ["WHOLE_COUNTRY", "FundersReport", "Period", "funders_report"]


async def funders_report(
    db: Database, *, groups: list[str] | None, period: Period, zone: ZoneInfo
) -> FundersReport:
    """The report for these groups (None: the whole country) and the period's days in this time zone."""
    start, end = period.bounds(zone)
    async with db.transaction() as session:
        facts = await collect_facts(session, groups=groups, start=start, end=end)
    scope = WHOLE_COUNTRY if groups is None else ", ".join(groups)
    # Counting is pure and can take a few hundred ms for a year of the whole organisation: in a worker
    # thread, so the bot's event loop goes on answering women meanwhile.
    return await asyncio.to_thread(build, facts, period=period, scope=scope)
