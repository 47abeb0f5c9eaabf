"""`python -m bot recordings list|review|export` and the listening figures of the report."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from bot.voice import library
from bot.voice.admin import coverage_lines, export_recordings, list_recordings, review_recordings
from tests.handlers.dashboard.test_recordings import hodan_recorded
from tests.harness import BotHarness


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    library.forget_cache()
    yield
    library.forget_cache()


async def test_review_list_export_and_the_listening_figures(bot: BotHarness) -> None:
    _coordinator, _hodan, ids = await hodan_recorded(bot, "listen", "consent")
    recordings = bot.services.recordings
    answers = iter(["a", "r", "Too fast"])
    out = io.StringIO()

    approved, rejected = await review_recordings(
        recordings,
        locale="so",
        ask=lambda _prompt: next(answers),
        listen_at="https://dashboard.example",
        out=out,
        who="Mette",
        now=bot.services.clock,
    )

    assert (approved, rejected) == (1, 1)
    assert f"Hear it:  https://dashboard.example/media/recording/{ids['listen']}" in out.getvalue()
    listed = await list_recordings(recordings, locale="so")
    assert [line.split()[2:4] for line in listed] == [["listen", "approved"], ["consent", "rejected"]]
    exported = await export_recordings(recordings, locale=None)
    assert exported.splitlines()[0] == "id,locale,screen,outdated,recorded_by,recorded_at,text"
    assert [row.split(",")[:3] for row in exported.splitlines()[1:]] == [[str(ids["listen"]), "so", "listen"]]

    woman = bot.phone(language_code="so")
    await woman.send("/start")
    await woman.press_data("lang:set:so")
    await woman.press_data("listen:yes")
    lines = coverage_lines(await recordings.coverage())
    assert lines[1].split() == ["so", "Soomaali", "listening", "<5", "recorded", "1", "of", "17", "(5", "%)"]
