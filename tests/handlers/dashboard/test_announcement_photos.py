"""An announcement's photo: uploaded once to the coordinator's own chat, then sent by its file id through
the outbox, right above the announcement's text, to each Bydelsmor and to the women who chose news."""

from __future__ import annotations

import struct
import zlib

import httpx
from markupsafe import escape
from sqlalchemy import func, select

from handlers.dashboard.app import PHOTO_FORM_LIMIT
from storage.models import Announcement, OutboxMessage
from tests.handlers.dashboard.conftest import sign_in
from tests.handlers.dashboard.test_announcements import MEETING, SOMALI, wants_news
from tests.handlers.dashboard.test_limits import CHUNK, Stream
from tests.handlers.dashboard.test_pages import other_group
from tests.handlers.test_matching import bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness


def png(width: int = 2, height: int = 2) -> bytes:
    """A small real PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PHOTO = png()
MULTIPART = {"Content-Type": "multipart/form-data; boundary=x"}


def form(csrf: str, *, for_women: bool = False) -> dict[str, str]:
    fields = {"csrf": csrf, "group_id": "1", "text": MEETING, "date": "2026-03-20", "time": "10:00"}
    fields["place"] = "Globus1, Gellerup"
    if for_women:
        fields["for_women"] = "yes"
    return fields


async def post(
    client: httpx.AsyncClient, csrf: str, photo: tuple[str, bytes, str], *, for_women: bool = False
) -> httpx.Response:
    return await client.post("/announcements", data=form(csrf, for_women=for_women), files={"photo": photo})


async def outbox_rows(bot: BotHarness) -> int:
    async with bot.services.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(OutboxMessage))).scalar_one())


async def announcements_kept(bot: BotHarness) -> list[str | None]:
    async with bot.services.db.transaction() as session:
        return list((await session.execute(select(Announcement.photo_file_id))).scalars())


async def test_each_bydelsmor_gets_the_photo_then_the_text_with_its_buttons(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    amal = await bydelsmor(bot, "Amal", "ar,en", "8210")
    csrf = await sign_in(client, coordinator)

    page = await client.get("/announcements")
    assert 'enctype="multipart/form-data"' in page.text
    assert 'type="file" accept="image/jpeg,image/png"' in page.text
    made = await post(client, csrf, ("meeting.png", PHOTO, "image/png"))
    assert made.status_code == 303 and made.headers["location"] == "/announcements/1?done=announced"

    preview = coordinator.last  # uploaded once, to her own chat: what the Bydelsmødre will see
    assert preview.kind == "photo" and preview.caption == "This is how the announcement looks."
    assert bot.standin.file(preview.file_id or "").data == PHOTO
    assert await announcements_kept(bot) == [preview.file_id]
    shown = (await client.get("/announcements/1")).text
    assert '<img src="/media/announcement/1" alt="The announcement\'s photo"' in shown
    served = await client.get("/media/announcement/1")
    assert served.status_code == 200 and served.content == PHOTO

    await bot.send_outbox()
    for phone in (hodan, amal):
        photo, news = bot.inbox(phone.user_id)[-2:]
        assert photo.kind == "photo" and photo.file_id == preview.file_id and photo.caption is None
        assert (news.text or "").startswith("📣 News from Bydelsmødre Gellerup:") and MEETING in (
            news.text or ""
        )
        assert [b.text for b in news.buttons()] == ["✅ I'll come", "I can't"]
    [thanks] = await hodan.press("I'll come")
    assert thanks.text == "Thank you! Your coordinator can see that you will come. 🌷"

    sara = await other_group(bot)  # another group's coordinator sees neither the page nor its photo
    await sign_in(client, sara)
    assert (await client.get("/announcements/1")).status_code == 404
    assert (await client.get("/media/announcement/1")).status_code == 404


async def test_without_a_photo_only_the_text_is_sent(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    csrf = await sign_in(client, coordinator)
    before = len(bot.inbox(hodan.user_id))
    # A browser sends an empty file part when no file was chosen.
    made = await post(client, csrf, ("", b"", "application/octet-stream"))
    assert made.headers["location"] == "/announcements/1?done=announced"
    await bot.send_outbox()
    [news] = bot.inbox(hodan.user_id)[before:]
    assert news.kind == "text" and MEETING in (news.text or "")
    assert await announcements_kept(bot) == [None]
    assert "/media/announcement/1" not in (await client.get("/announcements/1")).text
    assert (await client.get("/media/announcement/1")).status_code == 404


async def test_a_body_over_5_mb_is_413_and_nothing_is_sent(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    await bydelsmor(bot, "Hodan", "so,en", "8220")
    csrf = await sign_in(client, coordinator)
    before = await outbox_rows(bot)
    coordinator_messages = len(bot.inbox(coordinator.user_id))
    big = PHOTO + b"\x00" * (6 * 1024 * 1024)

    claimed = await post(client, csrf, ("big.png", big, "image/png"))
    assert claimed.status_code == 413 and "A photo may be up to 5 MB" in claimed.text

    # No Content-Length: the stream is read only up to the limit, then given up.
    chunked = Stream(8 * 1024 * 1024)
    streamed = await client.post("/announcements", content=chunked, headers=MULTIPART)
    assert streamed.status_code == 413 and chunked.pulled <= PHOTO_FORM_LIMIT + CHUNK
    # A Content-Length over the limit is refused before a byte is read.
    said_300_mb = Stream(8 * 1024 * 1024)
    headers = {**MULTIPART, "Content-Length": str(300 * 1024 * 1024)}
    refused_unread = await client.post("/announcements", content=said_300_mb, headers=headers)
    assert refused_unread.status_code == 413 and said_300_mb.pulled == 0
    assert await outbox_rows(bot) == before and await announcements_kept(bot) == []
    assert len(bot.inbox(coordinator.user_id)) == coordinator_messages


async def test_a_text_file_named_png_is_refused_and_nothing_is_sent(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    await bydelsmor(bot, "Hodan", "so,en", "8220")
    csrf = await sign_in(client, coordinator)
    before = await outbox_rows(bot)

    refused = await post(client, csrf, ("meeting.png", b"Come to the meeting!\n", "image/png"))
    assert refused.status_code == 400
    assert "The file is not a photo in JPEG or PNG, so nothing was sent." in refused.text
    assert (
        str(escape(MEETING)) in refused.text and 'value="Globus1, Gellerup"' in refused.text
    )  # her form, as she filled it
    assert await outbox_rows(bot) == before and await announcements_kept(bot) == []


async def test_when_telegram_refuses_the_photo_nothing_is_sent_and_she_sees_why_in_danish(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    await bydelsmor(bot, "Hodan", "so,en", "8220")
    csrf = await sign_in(client, coordinator)
    danish = await client.post("/language", data={"csrf": csrf, "locale": "da", "next": "/announcements"})
    assert danish.status_code == 303
    bot.standin.block(coordinator.user_id)  # her own chat, where the photo is uploaded, is closed
    before = await outbox_rows(bot)

    refused = await post(client, csrf, ("meeting.jpg", b"\xff\xd8\xff\xe0" + PHOTO, "image/jpeg"))
    assert refused.status_code == 400
    assert "Telegram tog ikke imod billedet, så der blev ikke sendt noget." in refused.text
    assert "bot was blocked by the user" in refused.text
    assert await outbox_rows(bot) == before and await announcements_kept(bot) == []


async def test_a_womans_news_with_a_photo_carries_it_too(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    somali = await woman_asks(bot, language="so")
    await wants_news(somali, yes=True)
    csrf = await sign_in(client, coordinator)
    made = await post(client, csrf, ("meeting.png", PHOTO, "image/png"), for_women=True)
    assert made.status_code == 303
    preview = coordinator.last
    await bot.send_outbox()
    before = len(bot.inbox(somali.user_id))

    await hodan.send("/translate")
    await hodan.press("Soomaali")
    await hodan.press("Suggest a better text")
    await hodan.send(SOMALI)
    await client.post("/announcement-translations/1/approve", data={"csrf": csrf})
    await bot.send_outbox()

    photo, news = bot.inbox(somali.user_id)[before:]
    assert photo.kind == "photo" and photo.file_id == preview.file_id
    assert (news.text or "").startswith("📣 ") and SOMALI in (news.text or "")
