"""Issue 12 in the dashboard: a coordinator hears a Bydelsmor's recording beside its text and approves or
rejects it (audited); the next woman who listens hears the approved one."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from bot.voice import library
from storage.models import AuditEntry
from tests.handlers.dashboard.conftest import sign_in
from tests.handlers.test_matching import bydelsmor, set_up_group
from tests.handlers.test_voice import record
from tests.harness import BotHarness, Phone


@pytest.fixture(autouse=True)
def fresh_library() -> Iterator[None]:
    library.forget_cache()
    yield
    library.forget_cache()


async def hodan_recorded(bot: BotHarness, *keys: str) -> tuple[Phone, Phone, dict[str, int]]:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    await hodan.send("/record")
    await hodan.press("Soomaali")
    await hodan.press("No, delete them when I leave")
    ids = {key: await record(hodan, "so", key, f"OggS-{key}".encode()) for key in keys}
    return coordinator, hodan, ids


async def test_a_coordinator_hears_and_approves_a_recording(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator, _hodan, ids = await hodan_recorded(bot, "listen", "consent")
    csrf = await sign_in(client, coordinator)

    page = await client.get("/recordings?language=so")
    assert page.status_code == 200
    assert 'src="/media/recording/1"' in page.text and "What we keep, and who reads it" in page.text
    assert "Ma ku raalli tahay?" in page.text  # the Somali text beside the player
    audio = await client.get("/media/recording/1")
    assert audio.status_code == 200 and audio.content == b"OggS-listen"  # fetched through the bot
    assert audio.headers["content-type"].startswith("audio/ogg")

    approved = await client.post(f"/recordings/{ids['listen']}/approve", data={"csrf": csrf})
    assert approved.status_code == 303
    rejected = await client.post(
        f"/recordings/{ids['consent']}/reject", data={"csrf": csrf, "reason": "Too quiet"}
    )
    assert rejected.status_code == 303
    after = await client.get(rejected.headers["location"])
    assert "The recording is rejected." in after.text and "Reason: Too quiet" in after.text
    forged = await client.post(f"/recordings/{ids['consent']}/approve", data={"csrf": "nope"})
    assert forged.status_code == 403

    async with bot.services.db.transaction() as session:
        entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars().all()
    assert [(e.action, e.subject) for e in entries][-2:] == [
        ("approve_recording", f"recording:{ids['listen']}"),
        ("reject_recording", f"recording:{ids['consent']}"),
    ]
    assert all("Too quiet" not in e.detail for e in entries)

    woman = bot.phone(language_code="so")
    await woman.send("/start")
    asked = await woman.press_data("lang:set:so")
    assert asked[0].kind == "voice"  # the approved question, said aloud
    await woman.press_data("listen:yes")

    outcomes = await client.get("/outcomes")
    listening = outcomes.text.split("Listening: women who chose to hear the messages")[1]
    assert "Soomaali" in listening and "<td>&lt;5</td>" in listening and "1 of 17" in listening


async def test_her_recordings_go_when_she_leaves_unless_she_agreed(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator, _hodan, ids = await hodan_recorded(bot, "listen")
    csrf = await sign_in(client, coordinator)
    await client.post(f"/recordings/{ids['listen']}/approve", data={"csrf": csrf})
    await client.post("/bydelsmoedre/1/deactivate", data={"csrf": csrf})

    recording = await bot.services.recordings.file_of(recording_id=ids["listen"])
    assert recording is not None and recording.status == "removed" and recording.file_id is None
    woman = bot.phone(language_code="so")
    await woman.send("/start")
    [_lead, intro] = await woman.press_data("lang:set:so")
    assert intro.kind == "text"  # nothing to say the question aloud any more: she is not asked
