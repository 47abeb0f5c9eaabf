import pytest

from bot.onboarding import Incoming, Sender
from bot.ui import Outcome
from tests.harness import BotHarness


async def test_an_unexpected_failure_gets_a_kind_word_in_her_language(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    phone = bot.phone(language_code="da")
    await phone.send("/start")

    async def broken(*, sender: Sender, incoming: Incoming, now: object) -> Outcome:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(bot.services.onboarding, "receive", broken)
    [reply] = await phone.send("hej")
    assert (reply.text or "").startswith("Undskyld")
    assert "the database went away" in caplog.text
