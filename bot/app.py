"""Wiring: one PTB Application, the periodic tick and the web server, all in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from typing import Any, cast

from starlette.applications import Starlette
from telegram import Bot, BotCommand, Update
from telegram.constants import ChatType
from telegram.error import Conflict, Forbidden, RetryAfter, TelegramError
from telegram.ext import (
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseRateLimiter,
    ContextTypes,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.demo import DEMO_PEOPLE, seed_demo, seed_demo_history, seed_demo_recordings
from bot.i18n import get_locale, locale_from_telegram, texts
from bot.inbox import HandlingFailedError, Inbox
from bot.onboarding import screens
from bot.outbox import OutboxSender
from bot.profile import profiles
from bot.services import Services
from bot.web import WebServer
from handlers.context import BotContext, BydelsmorApplication
from handlers.dashboard.app import dashboard_middleware, dashboard_routes
from handlers.dashboard.files import BotFiles
from handlers.errors import on_error
from handlers.messenger import BotMessenger
from handlers.ops import ops_routes
from handlers.pacing import PacedRateLimiter, retry_after_seconds
from handlers.routes import register
from handlers.telegram_request import counted_requests
from handlers.webhook import WEBHOOK_PATH, webhook_routes
from handlers.women import sender_of

__all__ = ["build_application", "run", "running", "set_up_profile"]

log = logging.getLogger(__name__)

TICK_SECONDS = 60
LONG_POLL_SECONDS = 25  # getUpdates waits this long for an update before answering with none
MAX_BACKOFF = 60.0
STOP_GRACE_SECONDS = 10.0  # a stop lets the update in hand finish, within this
SANDBOX_TOKEN = "123456:SANDBOX-TOKEN"


def build_application(
    services: Services,
    *,
    token: str,
    base_url: str,
    request: BaseRequest | None = None,
    rate_limited: bool | None = None,
) -> BydelsmorApplication:
    """`rate_limited`: keep to Telegram's limits (by default only against Telegram itself, not a stand-in)."""
    builder = (
        ApplicationBuilder()
        .application_class(BydelsmorApplication, kwargs={"services": services})
        .context_types(ContextTypes(context=BotContext))
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
        # Updates come from the inbox's workers, which keep one chat's updates in order (bot.inbox); PTB
        # itself need not run them concurrently.
        .concurrent_updates(False)
    )
    # Every Bot API answer is counted for /metrics (handlers/telegram_request.py).
    calls, get_updates = counted_requests(services.metrics, request)
    builder = builder.request(calls).get_updates_request(get_updates)
    if rate_limited if rate_limited is not None else request is None:
        # Inline replies keep to Telegram's limits in one budget with the outbox (bot.pacing), retrying 429s.
        # PTB types the builder for a bot without rate-limiter arguments; ours takes only ALREADY_PACED.
        limiter = PacedRateLimiter(services.pacer, max_retries=3, metrics=services.metrics)
        builder = builder.rate_limiter(cast("BaseRateLimiter[None]", limiter))
    application = builder.build()
    if not isinstance(application, BydelsmorApplication):
        raise TypeError("the builder did not make a BydelsmorApplication")
    register(application)
    # Under the inbox an error is counted and the update handled again (bot.inbox), not answered at once.
    application.remove_error_handler(on_error)
    application.add_error_handler(_on_error)
    return application


# The errors of the update the inbox is handling in this task (None: not handled by the inbox).
_inbox_errors: ContextVar[list[BaseException] | None] = ContextVar("inbox_errors", default=None)


async def _on_error(update: object, context: BotContext) -> None:
    errors = _inbox_errors.get()
    if errors is None or isinstance(context.error, Forbidden) or context.error is None:
        await on_error(update, context)  # blocked (nothing to retry), or not from the inbox
        return
    errors.append(context.error)
    raise ApplicationHandlerStop  # the other handlers would run on a transaction that will be rolled back


def inbox_handler(application: BydelsmorApplication) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """Handle one raw update through PTB, raising if a handler failed (so the inbox rolls back)."""

    async def handle(raw: dict[str, Any]) -> None:
        try:
            update = Update.de_json(raw, application.bot)
        except Exception as error:  # not an update PTB can read: nothing to handle, nothing to retry
            log.warning("an update that is not readable was skipped (%s)", type(error).__name__)
            return
        errors: list[BaseException] = []
        token = _inbox_errors.set(errors)
        try:
            await application.process_update(update)
        finally:
            _inbox_errors.reset(token)
        if errors:
            raise HandlingFailedError(type(errors[0]).__name__)

    return handle


def tell_it_went_wrong(application: BydelsmorApplication) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """Once an update is parked: "something went wrong, please try again", in her language."""

    async def tell(raw: dict[str, Any]) -> None:
        update = Update.de_json(raw, application.bot)
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type != ChatType.PRIVATE or user is None:
            return
        try:
            locale = await application.services.onboarding.locale_for(sender_of(update))
        except Exception:  # the failure may be the database itself
            locale = locale_from_telegram(user.language_code) or get_locale(None)
        await application.bot.send_message(chat.id, screens.something_went_wrong(texts(locale.code)).text)

    return tell


async def fetch_updates(application: BydelsmorApplication, inbox: Inbox) -> None:
    """Long-poll getUpdates; confirm an update (offset = update_id + 1) only once the inbox holds it.

    Replaces PTB's polling, which confirms updates before the handlers have stored anything.
    """
    offset: int | None = None
    backoff = 1.0
    while True:
        params: dict[str, Any] = {"timeout": LONG_POLL_SECONDS, "allowed_updates": list(Update.ALL_TYPES)}
        if offset is not None:
            params["offset"] = offset
        try:
            updates = await application.bot.do_api_request(
                "getUpdates", api_kwargs=params, read_timeout=LONG_POLL_SECONDS + 10
            )
            readable = [
                raw
                for raw in (updates if isinstance(updates, list) else [])
                # As the webhook: an id the BIGINT key cannot hold would fail the whole answer's commit.
                if isinstance(raw, dict)
                and type(raw.get("update_id")) is int
                and 0 <= raw["update_id"] < 2**63
            ]
            if readable:
                await inbox.receive_many(readable)  # committed: only now may Telegram forget them
                offset = max(offset or 0, *(raw["update_id"] + 1 for raw in readable))
            backoff = 1.0
            continue
        except asyncio.CancelledError:
            raise
        except RetryAfter as error:
            wait = retry_after_seconds(error)
        except Conflict:
            log.warning("another getUpdates or a webhook is active; waiting %.0f s", backoff)
            wait = backoff
        except TelegramError as error:  # the network, or Telegram itself
            log.warning("getUpdates failed (%s); again in %.0f s", type(error).__name__, backoff)
            wait = backoff
        except Exception as error:  # the database: the updates stay unconfirmed, Telegram keeps them
            log.error("could not store updates (%s); again in %.0f s", type(error).__name__, backoff)
            wait = backoff
        application.services.metrics.retried("get_updates")
        backoff = min(backoff * 2, MAX_BACKOFF)
        await asyncio.sleep(wait)


async def set_up_profile(application: BydelsmorApplication) -> None:
    """The description, short description and commands, for every language Telegram has a code for.

    One language Telegram refuses (a text too long after an approved suggestion) must not stop the bot.
    """
    bot = application.bot
    for profile in profiles():
        commands = [BotCommand(name, description) for name, description in profile.commands]
        try:
            await bot.set_my_commands(commands, language_code=profile.language_code)
            await bot.set_my_description(profile.description, language_code=profile.language_code)
            await bot.set_my_short_description(profile.short_description, language_code=profile.language_code)
        except TelegramError as error:
            log.warning("Telegram refused the profile for %s: %s", profile.language_code or "default", error)


async def _tick(context: BotContext) -> None:
    await ask_telegram(context.bot)
    if await context.services.tick():
        await set_up_profile(cast(BydelsmorApplication, context.application))


async def ask_telegram(bot: Bot) -> None:
    """getMe: its answer (counted by handlers/telegram_request.py) tells /readyz that Telegram is there."""
    try:
        await bot.get_me()
    except TelegramError as error:
        log.warning("Telegram did not answer getMe (%s)", type(error).__name__)


def outbox_sender(application: BydelsmorApplication) -> OutboxSender:
    services = application.services
    return OutboxSender(
        db=services.db,
        messenger=BotMessenger(application.bot),
        clock=services.clock,
        metrics=services.metrics,
        on_blocked=services.relay.blocked,
        pacer=services.pacer,
        wake=services.outbox_wake,
    )


def inbox_workers(services: Services) -> int:
    """How many updates this process handles at once (Settings.inbox_workers; 0 chooses by database).

    SQLite: always one. It has no SKIP LOCKED, so two workers could take the same update.
    """
    if services.db.engine.dialect.name == "sqlite":
        if services.settings.inbox_workers > 1:
            log.warning("INBOX_WORKERS=%s is ignored on SQLite: one worker", services.settings.inbox_workers)
        return 1
    return services.settings.inbox_workers or 4


@contextlib.asynccontextmanager
async def running(application: BydelsmorApplication, *, polling: bool) -> AsyncIterator[None]:
    """Initialise, start (polling or not), tick, send the outbox; stop it all in reverse order."""
    async with application:
        await application.services.translations.reload_overrides()
        await set_up_profile(application)
        if application.job_queue is not None:
            application.job_queue.run_repeating(_tick, interval=TICK_SECONDS, first=1)
        await application.start()
        sender = outbox_sender(application)
        sending = asyncio.create_task(sender.run(), name="outbox")
        inbox = application.services.inbox
        handling = asyncio.create_task(
            inbox.run_workers(
                inbox_handler(application),
                workers=inbox_workers(application.services),
                on_parked=tell_it_went_wrong(application),
            ),
            name="inbox",
        )
        fetching = (
            asyncio.create_task(fetch_updates(application, inbox), name="getUpdates") if polling else None
        )
        try:
            yield
        finally:
            if fetching is not None:
                fetching.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await fetching
            inbox.stop()  # the update in hand is finished: a stop is not a crash
            try:
                await asyncio.wait_for(handling, timeout=STOP_GRACE_SECONDS)
            except TimeoutError:
                log.warning("the update in hand did not finish; it will be handled again at the next start")
            sender.stop()  # the message in hand is finished, or its claim given back: not left to go stale
            try:
                await asyncio.wait_for(sending, timeout=STOP_GRACE_SECONDS)
            except TimeoutError:
                log.warning("the outbox sender did not stop in time")
            await application.stop()


def web_app(application: BydelsmorApplication, *, webhook_secret: str | None) -> Starlette:
    """The process's one web app: the dashboard, and Telegram's webhook when it pushes to us."""
    routes = [
        *ops_routes(application.services),
        *dashboard_routes(application.services, BotFiles(application.bot)),
    ]
    if webhook_secret:
        routes = [*webhook_routes(application, webhook_secret), *routes]
    return Starlette(routes=routes, middleware=dashboard_middleware())


@contextlib.asynccontextmanager
async def serving(
    application: BydelsmorApplication, *, webhook_secret: str | None
) -> AsyncIterator[WebServer]:
    settings = application.services.settings
    web = WebServer(
        web_app(application, webhook_secret=webhook_secret),
        host=settings.dashboard_host,
        port=settings.dashboard_port,
    )
    try:
        await web.start()
    except OSError as error:
        raise SystemExit(
            f"The dashboard cannot listen on {settings.dashboard_host}:{settings.dashboard_port}"
            f" ({error.strerror}). Another program may use that port: set DASHBOARD_PORT to a free one."
        ) from None
    if not settings.dashboard_url:  # port 0 picked a free port: the sign-in links must name it
        application.services.dashboard_access.base_url = web.url
    try:
        yield web
    finally:
        await web.stop()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()


async def run(settings: Settings, services: Services) -> None:
    """Run until Ctrl-C: the sandbox without a token, else Telegram by long polling or webhook."""

    if settings.sandbox:
        from sandbox.ptb_request import StandInRequest
        from sandbox.standin import StandIn
        from sandbox.web import SandboxServer

        standin = StandIn(token=SANDBOX_TOKEN, update_ids_file=settings.data_dir / "sandbox-update-ids")
        for person in DEMO_PEOPLE:  # demo Bydelsmødre and a coordinator, each a phone in the chat page
            standin.add_user(
                first_name=person.first_name,
                language_code=person.language_code,
                user_id=person.telegram_user_id,
            )
        await seed_demo(services.db, now=services.clock())
        await seed_demo_history(services.db, now=services.clock())  # so the outcome pages show figures
        # Sample recordings (tones, no one's voice), stored as voice files the stand-in serves like Telegram.
        await seed_demo_recordings(
            services.db,
            store_voice=lambda data: standin.store_file(data, kind="voice", mime_type="audio/wav").file_id,
            now=services.clock(),
        )
        server = SandboxServer(standin, host="127.0.0.1", port=settings.sandbox_port)
        application = build_application(
            services, token=SANDBOX_TOKEN, base_url="http://sandbox.invalid", request=StandInRequest(standin)
        )
        await server.start()
        try:
            async with running(application, polling=True), serving(application, webhook_secret=None) as web:
                print(
                    f"\n  Sandbox ready. Open {server.url}/ in your browser to chat with the bot."
                    f"\n  Coordinators' dashboard: {web.url}/ (send /login as the coordinator to sign in).\n",
                    flush=True,
                )
                await _until_signalled()
        finally:
            await server.stop()
            await standin.aclose()
        return

    token = settings.bot_token or ""
    application = build_application(services, token=token, base_url=settings.telegram_api_url)
    if settings.webhook_url and settings.webhook_secret:
        async with (
            running(application, polling=False),
            serving(application, webhook_secret=settings.webhook_secret) as web,
        ):
            await application.bot.set_webhook(
                url=settings.webhook_url + WEBHOOK_PATH,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info(
                "receiving updates at %s%s; dashboard on %s", settings.webhook_url, WEBHOOK_PATH, web.url
            )
            await _until_signalled()
        return

    async with running(application, polling=True), serving(application, webhook_secret=None) as web:
        await application.bot.delete_webhook()
        log.info("long polling Telegram as @%s; dashboard on %s", application.bot.username, web.url)
        await _until_signalled()
