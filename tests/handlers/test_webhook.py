"""The webhook route: only Telegram's updates, each at most UPDATE_LIMIT, anything else refused with 400."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from bot.app import SANDBOX_TOKEN, build_application
from bot.config import load_settings
from bot.services import build_services
from handlers.context import BydelsmorApplication
from handlers.webhook import UPDATE_LIMIT, WEBHOOK_PATH, webhook_routes
from storage.models import InboxUpdate
from tests.conftest import Clock

SECRET = "a-webhook-secret-of-enough-length"
SIGNED = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
CHUNK = 64 * 1024
UPDATE = {
    "update_id": 7,
    "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"},
}


@pytest.fixture
async def application(
    database_url: str, data_key: str, clock: Clock, tmp_path: Path
) -> AsyncIterator[BydelsmorApplication]:
    settings = load_settings(data_dir=tmp_path, data_key=data_key)
    services = build_services(settings, database_url=database_url, clock=clock)
    yield build_application(services, token=SANDBOX_TOKEN, base_url="http://127.0.0.1:9")
    await services.db.dispose()


@pytest.fixture
async def client(application: BydelsmorApplication) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=webhook_routes(application, SECRET))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bot.test") as http:
        yield http


class Stream:
    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.total:
            self.pulled += CHUNK
            yield b" " * CHUNK


async def stored(application: BydelsmorApplication) -> list[dict[str, object]]:
    """The updates in the inbox, as they arrived."""
    async with application.services.db.transaction() as session:
        rows = (await session.execute(select(InboxUpdate).order_by(InboxUpdate.update_id))).scalars().all()
        return [
            json.loads(application.services.db.cipher.decrypt(row.payload_encrypted or b"")) for row in rows
        ]


async def test_an_update_is_in_the_inbox_before_the_200(
    application: BydelsmorApplication, client: httpx.AsyncClient
) -> None:
    accepted = await client.post(WEBHOOK_PATH, json=UPDATE, headers=SIGNED)
    assert accepted.status_code == 200
    assert await stored(application) == [UPDATE]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"null",
        b"[1, 2]",
        b'"an update"',
        b"42",
        b"{}",
        b'{"hello": "world"}',
        b'{"update_id": "7"}',
        b'{"update_id": true}',
        b'{"update_id": 99999999999999999999999}',
        b'{"update_id": 7, "message": "hi"}',
        b'{"update_id": 7, "message": {"chat": 5}}',
        b'{"update_id": 7, "callback_query": []}',
        b"[" * 100_000,
        b"\xff\xfe",
    ],
)
async def test_what_is_not_an_update_is_400(
    application: BydelsmorApplication, client: httpx.AsyncClient, body: bytes
) -> None:
    refused = await client.post(WEBHOOK_PATH, content=body, headers=SIGNED)
    assert refused.status_code == 400
    assert await stored(application) == []


async def test_an_over_large_push_is_refused_before_it_is_read(client: httpx.AsyncClient) -> None:
    tracemalloc.start()
    try:
        claimed = Stream(8 * 1024 * 1024)
        said_200_mb = await client.post(
            WEBHOOK_PATH, content=claimed, headers={**SIGNED, "Content-Length": str(200 * 1024 * 1024)}
        )
        assert said_200_mb.status_code == 413 and claimed.pulled == 0

        tracemalloc.reset_peak()
        chunked = Stream(64 * 1024 * 1024)  # no Content-Length: read up to the limit, then given up
        streamed = await client.post(WEBHOOK_PATH, content=chunked, headers=SIGNED)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert streamed.status_code == 413
    assert chunked.pulled <= UPDATE_LIMIT + CHUNK
    assert peak < 4 * 1024 * 1024, peak  # the 1 MB it read (twice, while joining), not the 64 MB sent
    print(f"\nwebhook, 64 MB chunked: peak {peak} bytes; {chunked.pulled} bytes read")

    just_over = await client.post(WEBHOOK_PATH, content=b" " * (UPDATE_LIMIT + 1), headers=SIGNED)
    assert just_over.status_code == 413
    unsigned = Stream(8 * 1024 * 1024)
    assert (await client.post(WEBHOOK_PATH, content=unsigned)).status_code == 403
    assert unsigned.pulled == 0  # without the secret nothing is read at all
