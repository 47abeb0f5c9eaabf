"""Bad input from anyone on the internet: over-large bodies, ids no database holds, and errors; each answered
with a short page that carries the security headers, without reading more than the limit."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest

from handlers.dashboard.app import FORM_LIMIT, SECURITY_HEADERS
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in, talked
from tests.harness import BotHarness

HUGE_IDS = ("2147483648", "9223372036854775808", "9" * 5000)  # PostgreSQL's integer, SQLite's, Python's
CHUNK = 4096
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
GET_ROUTES = (
    "/requests/{id}",
    "/requests/{id}/erase",
    "/matches/{id}",
    "/media/log/{id}",
    "/media/note/{id}/0",
    "/media/note/1/{id}",
    "/groups/{id}/poster",
    "/media/announcement/{id}",
)
POST_ROUTES = (
    "/requests/{id}/offer",
    "/requests/{id}/erase",
    "/matches/{id}/end",
    "/matches/{id}/reassign",
    "/bydelsmoedre/{id}/pause",
    "/bydelsmoedre/{id}/resume",
    "/bydelsmoedre/{id}/deactivate",
    "/bydelsmoedre/{id}/reactivate",
    "/groups/{id}/invite",
    "/alerts/{id}/resolve",
)


def assert_secured(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert response.headers.get("Cache-Control") == "no-store", response.request.url


class Stream:
    """A request body sent chunk by chunk; counts how much of it the server asked for."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.total:
            self.pulled += CHUNK
            yield b"x" * CHUNK


async def measured(request: object) -> tuple[httpx.Response, int]:
    """The response and the peak of memory allocated while it was made (tracemalloc, in bytes)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = await request  # type: ignore[misc]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak


@pytest.mark.parametrize("signed_in", [False, True], ids=["sign-in form", "dashboard form"])
async def test_an_over_large_form_is_refused_unread(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock, signed_in: bool
) -> None:
    if signed_in:
        scene = await talked(bot, clock)
        await sign_in(client, scene.coordinator)
        path = "/requests/1/offer"
    else:
        path = "/login"
        client.cookies.set("bm_login", "a-cookie-the-sign-in-page-set")
    eight_megabytes = 8 * 1024 * 1024
    # Once before measuring: the error page's template is compiled on its first use.
    warm_up = await client.post(path, content=Stream(2 * FORM_LIMIT), headers=FORM)
    assert warm_up.status_code == 413

    claimed = Stream(eight_megabytes)
    said_300_mb, peak = await measured(
        client.post(path, content=claimed, headers={**FORM, "Content-Length": str(300 * 1024 * 1024)}),
    )
    assert said_300_mb.status_code == 413 and claimed.pulled == 0
    assert peak < 2 * 1024 * 1024, peak
    print(f"\n{path}, 300 MB claimed: peak {peak} bytes; {claimed.pulled} bytes read")
    assert_secured(said_300_mb)

    chunked = Stream(eight_megabytes)  # no Content-Length: read only up to the limit
    streamed, peak = await measured(client.post(path, content=chunked, headers=FORM))
    assert streamed.status_code == 413 and chunked.pulled <= FORM_LIMIT + CHUNK
    assert peak < 2 * 1024 * 1024, peak
    assert_secured(streamed)
    print(f"{path}, 8 MB chunked: peak {peak} bytes; {chunked.pulled} bytes read")


async def test_the_sign_in_form_is_not_read_without_its_cookie(client: httpx.AsyncClient) -> None:
    body = Stream(1024 * 1024)
    refused = await client.post("/login", content=body, headers={**FORM, "Content-Length": str(1024 * 1024)})
    assert refused.status_code == 403 and body.pulled == 0
    assert_secured(refused)


async def test_ids_no_database_can_hold_are_404_on_every_route(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    csrf = await sign_in(client, scene.coordinator)
    for huge in HUGE_IDS:
        for route in GET_ROUTES:
            response = await client.get(route.format(id=huge))
            assert response.status_code == 404, (route, huge[:20])
            assert "There is nothing here" in response.text
            assert_secured(response)
        for route in POST_ROUTES:
            response = await client.post(route.format(id=huge), data={"csrf": csrf, "until": "2026-12-24"})
            assert response.status_code == 404, (route, huge[:20])
            assert_secured(response)
        offered = await client.post("/requests/1/offer", data={"csrf": csrf, "volunteer_id": huge})
        assert offered.status_code == 404
        assert (await client.get("/audit", params={"page": huge})).status_code == 404  # not an admin


async def test_every_error_carries_the_security_headers(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    unknown_link = await client.get("/login", params={"token": "no-such-link"})
    assert unknown_link.status_code == 400
    assert_secured(unknown_link)
    assert_secured(await client.get("/"))  # 401: the sign-in page
    await sign_in(client, scene.coordinator)
    for response, status in (
        (await client.get("/no-such-page"), 404),
        (await client.get("/logout"), 405),
        (await client.put("/matches/1"), 405),
        (await client.post("/logout", data={"csrf": "forged"}), 403),
    ):
        assert response.status_code == status, response.request.url
        assert_secured(response)


async def test_an_unexpected_exception_is_a_plain_500_page_with_the_headers(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = await talked(bot, clock)
    await sign_in(client, scene.coordinator)

    async def broken(*_: object) -> None:
        raise RuntimeError("the database went away while reading match:1")

    monkeypatch.setattr(bot.services.dashboard, "waiting", broken)
    failed = await client.get("/waiting")
    assert failed.status_code == 500
    assert_secured(failed)
    assert "Something went wrong" in failed.text
    assert "Traceback" not in failed.text and "went away" not in failed.text and "match:1" not in failed.text
