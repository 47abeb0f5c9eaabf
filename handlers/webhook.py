"""Telegram pushes updates to us over https; only a request that carries our secret is let in."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, Update

from bot.web import read_body
from handlers.context import BydelsmorApplication

__all__ = ["UPDATE_LIMIT", "WEBHOOK_PATH", "read_update", "webhook_routes"]

WEBHOOK_PATH = "/telegram/webhook"
# An update is a few KB; even Telegram's largest (a long message with entities) is far less.
UPDATE_LIMIT = 1024 * 1024
log = logging.getLogger(__name__)


async def read_update(request: Request, bot: Bot) -> dict[str, Any] | Response:
    """The pushed update as it arrived, or the answer to a body that is too large (413) or is not an
    update (400)."""
    body = await read_body(request, limit=UPDATE_LIMIT)
    if body is None:
        log.warning("a webhook push over %d bytes was refused", UPDATE_LIMIT)
        return PlainTextResponse("too large", status_code=413)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
        return PlainTextResponse("not an update", status_code=400)
    update_id = payload.get("update_id") if isinstance(payload, dict) else None
    if type(update_id) is not int or not 0 <= update_id < 2**63:
        return PlainTextResponse("not an update", status_code=400)
    try:
        Update.de_json(payload, bot)  # what PTB cannot read is refused now, not parked later
    except Exception:  # whatever PTB makes of a forged object is the sender's mistake (400), not ours (500)
        return PlainTextResponse("not an update", status_code=400)
    update: dict[str, Any] = payload
    return update


def webhook_routes(application: BydelsmorApplication, secret: str) -> list[Route]:
    async def receive(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("a webhook push without the right secret was refused")
            return PlainTextResponse("forbidden", status_code=403)
        update = await read_update(request, application.bot)
        if isinstance(update, Response):
            return update
        # In the inbox before the 200: a crash after the answer loses nothing (Telegram retries until then).
        await application.services.inbox.receive(update)
        return Response(status_code=200)

    return [Route(WEBHOOK_PATH, receive, methods=["POST"])]
