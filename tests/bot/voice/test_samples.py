"""The sandbox's sample recordings: tones made at start (no one's voice in the repository), approved, renewed
at every start because the stand-in keeps its files in memory only; a Somali woman hears them in the chat."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator

import pytest

from bot.demo import DEMO_RECORDED_SCREENS, seed_demo, seed_demo_recordings
from bot.voice import library
from bot.voice.samples import tone_wav
from tests.conftest import Clock
from tests.harness import BotHarness


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    library.forget_cache()
    yield
    library.forget_cache()


def test_each_sample_is_a_short_wav_of_its_own() -> None:
    samples = [tone_wav(seed) for seed in range(17)]
    assert len(set(samples)) == len(samples)
    with wave.open(io.BytesIO(samples[0])) as sample:
        assert (sample.getnchannels(), sample.getframerate()) == (1, 8000)
        assert 0.5 < sample.getnframes() / sample.getframerate() < 2


async def test_the_sandbox_has_approved_samples_and_a_woman_hears_them(bot: BotHarness, clock: Clock) -> None:
    await seed_demo(bot.services.db, now=clock())

    def store(data: bytes) -> str:
        return bot.standin.store_file(data, kind="voice", mime_type="audio/wav").file_id

    made = await seed_demo_recordings(bot.services.db, store_voice=store, now=clock())
    again = await seed_demo_recordings(bot.services.db, store_voice=store, now=clock())  # a restart
    assert made == again == 2 * len(DEMO_RECORDED_SCREENS)
    approved = await bot.services.recordings.review_items(statuses=("approved",))
    assert len(approved) == made  # renewed, not doubled

    woman = bot.phone(language_code="so")
    await woman.send("/start")
    asked = await woman.press_data("lang:set:so")
    assert asked[0].kind == "voice" and asked[0].file_id is not None
    heard = bot.standin.file(asked[0].file_id)
    assert heard.data.startswith(b"RIFF") and heard.mime_type == "audio/wav"
    greeted = await woman.press_data("listen:yes")
    assert [m.kind for m in greeted] == ["text", "voice", "text", "text"]  # "good", then the introduction
