"""/metrics (Prometheus) and /readyz, on the process's one web server beside the dashboard.

/metrics is for this computer (Prometheus beside the bot), or for whoever sends `Authorization: Bearer
<METRICS_TOKEN>`. A request that came through a reverse proxy on this computer also arrives from
127.0.0.1, so a request that carries a proxy's forwarding header counts as remote: the dashboard's proxy
does not make the metrics public. /readyz says whether this process should get traffic (the database
answers, Telegram answered getMe lately); /healthz (in the dashboard's routes) only says the process is up.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.metrics import CONTENT_TYPE
from bot.services import Services

__all__ = ["LOOPBACK", "ops_routes"]

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def _from_this_computer(request: Request) -> bool:
    client = request.client
    if client is None or client.host not in LOOPBACK:
        return False
    return not any(header in request.headers for header in _FORWARDING_HEADERS)


def _has_token(request: Request, token: str | None) -> bool:
    if not token:
        return False
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


def ops_routes(services: Services) -> list[Route]:
    async def metrics(request: Request) -> Response:
        if not (_from_this_computer(request) or _has_token(request, services.settings.metrics_token)):
            return PlainTextResponse("forbidden\n", status_code=403)
        body = await services.metrics.scrape(services.db, now=services.clock())
        return Response(body, media_type=CONTENT_TYPE)

    async def ready(_: Request) -> Response:
        reason = await services.metrics.not_ready(services.db)
        if reason is not None:
            return PlainTextResponse(f"not ready: {reason}\n", status_code=503)
        return PlainTextResponse("ready\n")

    get = ["GET"]
    return [Route("/metrics", metrics, methods=get), Route("/readyz", ready, methods=get)]
