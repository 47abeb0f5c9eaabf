"""Telegram pushes updates to us over https; only a request that carries our secret is let in."""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from handlers.context import BydelsmorApplication

__all__ = ["WEBHOOK_PATH", "webhook_routes"]

WEBHOOK_PATH = "/telegram/webhook"
log = logging.getLogger(__name__)


async def store_update(application: BydelsmorApplication, update: Update, payload: dict[str, object]) -> None:
    """In the inbox before the 200: a crash after the answer loses nothing (Telegram retries until then)."""
    del update  # read only to refuse what is not an update; the inbox keeps the raw payload
    await application.services.inbox.receive(payload)


def webhook_routes(application: BydelsmorApplication, secret: str) -> list[Route]:
    async def receive(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("a webhook push without the right secret was refused")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            payload = json.loads(await request.body())
            update = Update.de_json(payload, application.bot)
        except (ValueError, TypeError, KeyError):
            return PlainTextResponse("not an update", status_code=400)
        await store_update(application, update, payload)
        return Response(status_code=200)

    return [Route(WEBHOOK_PATH, receive, methods=["POST"])]
