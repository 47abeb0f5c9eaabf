"""The dashboard's pages and forms: Starlette routes over the use cases in bot.dashboard.

Every page but the sign-in page needs a session; every POST carries the session's CSRF token. A page about
something outside the coordinator's groups answers 404, like an id that does not exist, and so does an id
no database could hold. A form's body is read only up to FORM_LIMIT (the announcement form, which may carry a
photo, up to PHOTO_FORM_LIMIT), and every response, errors included, carries the security headers.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode

import segno
from babel.dates import format_date
from babel.numbers import format_percent
from starlette.datastructures import FormData, MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import coordinator_screens
from bot.course.desk import SEPARATOR, CourseDesk
from bot.dashboard.access import SignIn, Viewer
from bot.dashboard.charts import Point, share_chart
from bot.dashboard.service import Done
from bot.funders import Period
from bot.funders.render import PRINT_CSS, render_article, render_csv, render_json
from bot.i18n import BY_CODE, LOCALES, texts
from bot.services import Services
from bot.voice.admin import listeners_shown
from bot.voice.recordings import RecordingsDesk
from bot.web import read_body
from handlers.dashboard.files import PhotoRefusedError
from handlers.dashboard.templating import environment, pick_locale, translator

__all__ = ["SESSION_COOKIE", "TelegramFiles", "dashboard_middleware", "dashboard_routes"]

log = logging.getLogger(__name__)

SESSION_COOKIE = "bm_session"
LOGIN_CSRF_COOKIE = "bm_login"
FORM_LIMIT = 16 * 1024  # the largest form (a date, a token, a few ids) is well under 1 KB
FORM_FIELDS = 20
# The announcement form with its photo. Telegram takes photos up to 10 MB; a phone's photo is 2-4 MB, and the
# whole body is held in memory for a moment in the process that also serves the women.
PHOTO_FORM_LIMIT = 5 * 1024 * 1024
# A photo is taken for what its first bytes say, not for its name or the browser's content type.
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG
# The largest id either database can hold in an id column: PostgreSQL's integer (SQLite's is 2^63 - 1).
LARGEST_ID = 2**31 - 1
STATIC = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {
    "voice": "audio/ogg",
    "audio": "audio/mpeg",
    "photo": "image/jpeg",
    "video": "video/mp4",
    "video_note": "video/mp4",
    "document": "application/octet-stream",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self' data:; media-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the sign-in link's token must not travel on in a Referer
    "X-Frame-Options": "DENY",
}


class TelegramFiles(Protocol):
    """What the dashboard needs from Telegram: voice notes and photos by file id, and the bot's name."""

    async def download(self, file_id: str) -> bytes: ...

    async def upload_photo(self, chat_id: int, content: bytes, *, caption: str) -> str:
        """Send a photo to a chat; its largest size's file id. PhotoRefusedError when Telegram refuses."""
        ...

    def bot_username(self) -> str: ...


class _Headers:
    """The security headers on every response, errors included (the router's 404 and 405, a 413, a 500).

    An unexpected exception is logged here (method and path: never the query, which may hold a sign-in
    token) and answered with the plain error page, so no traceback and no response without the headers
    reaches the browser. (Starlette's own 500 is sent outside every middleware, without them.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not path.startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("the dashboard failed on %s %s", scope.get("method"), path)
            if started:
                raise
            await _server_error(scope)(scope, receive, send_with_headers)


def _server_error(scope: Scope) -> Response:
    """The "something went wrong" page, in the browser's language; plain text if even that fails."""
    request = Request(scope)
    try:
        env = environment(pick_locale(request.headers.get("accept-language")), "UTC")
        html = env.get_template("error.html").render(viewer=None, section="", here="/", done=None, status=500)
    except Exception:
        log.exception("the error page could not be drawn")
        return PlainTextResponse("Something went wrong.", status_code=500)
    return HTMLResponse(html, status_code=500)


def dashboard_middleware() -> list[Middleware]:
    return [Middleware(_Headers)]


@dataclass
class _Page:
    """Renders a template in the viewer's language with what every page needs."""

    services: Services

    def render(
        self,
        request: Request,
        template: str,
        *,
        viewer: Viewer | None,
        status: int = 200,
        section: str = "",
        **values: Any,
    ) -> HTMLResponse:
        locale = viewer.locale if viewer else pick_locale(request.headers.get("accept-language"))
        env = environment(locale, self.services.settings.timezone)
        now = self.services.clock()
        html = env.get_template(template).render(
            viewer=viewer,
            section=section,
            here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            now=now,
            today=now.astimezone(self.services.settings.tz).date(),
            done=request.query_params.get("done"),
            status=status,
            **values,
        )
        return HTMLResponse(html, status_code=status)


Handler = Callable[[Request, Viewer], Awaitable[Response]]


def dashboard_routes(services: Services, telegram: TelegramFiles) -> list[BaseRoute]:
    page = _Page(services)
    access = services.dashboard_access
    dashboard = services.dashboard
    settings = services.settings

    def secure(request: Request) -> bool:
        return request.url.scheme == "https" or settings.dashboard_base_url.startswith("https://")

    def error(request: Request, viewer: Viewer | None, status: int) -> HTMLResponse:
        return page.render(request, "error.html", viewer=viewer, status=status)

    def signed_out(request: Request) -> HTMLResponse:
        return page.render(request, "login.html", viewer=None, status=401, token=None, refused=None)

    def back(path: str, done: Done | str | None = None) -> RedirectResponse:
        code = done.code if isinstance(done, Done) else done
        return RedirectResponse(f"{path}?done={quote(code)}" if code else path, status_code=303)

    def signed_in(
        handler: Handler, *, form: bool = False, photo: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        """Load the coordinator behind the cookie; for a form, check its CSRF token first.

        `photo`: the form may carry one photo (multipart, up to PHOTO_FORM_LIMIT); its bytes are in
        request.state.photo, None when none was chosen.
        """

        async def endpoint(request: Request) -> Response:
            viewer = await access.viewer(
                session_token=request.cookies.get(SESSION_COOKIE), now=services.clock()
            )
            if viewer is None:
                return signed_out(request)
            ids = _ids(request.path_params)
            if ids is None:  # an id no database could hold names nothing: the same 404 as an unknown one
                return error(request, viewer, 404)
            request.scope["path_params"] = ids
            if form or photo:
                data = await (_read_form_with_photo(request) if photo else _read_form(request))
                if data is None:
                    return error(request, viewer, 413)
                if not viewer.csrf_ok(_field(data, "csrf")):
                    log.warning("a dashboard form without a valid CSRF token was refused")
                    return error(request, viewer, 403)
                request.state.form = data
            return await handler(request, viewer)

        return endpoint

    # --- signing in and out ------------------------------------------------------------------------------

    async def login_page(request: Request) -> Response:
        token = request.query_params.get("token", "")
        refused = await access.check_link(token=token, now=services.clock()) if token else None
        login_csrf = secrets.token_urlsafe(24)
        response = page.render(
            request,
            "login.html",
            viewer=None,
            status=200 if token and refused is None else 400 if token else 200,
            token=token if refused is None else None,
            refused=refused.value if refused else None,
            login_csrf=login_csrf,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            login_csrf,
            max_age=900,
            httponly=True,
            samesite="strict",
            secure=secure(request),
            path="/login",
        )
        return response

    async def login(request: Request) -> Response:
        # The double-submit cookie first: without the one the sign-in page set, the form is not even read.
        expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or len(expected) > 64:
            return error(request, None, 403)
        data = await _read_form(request)
        if data is None:
            return error(request, None, 413)
        given = _field(data, "csrf") or ""
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return error(request, None, 403)
        result = await access.sign_in(
            token=_field(data, "token") or "", locale=_field(data, "locale"), now=services.clock()
        )
        if not isinstance(result, SignIn):
            return page.render(
                request, "login.html", viewer=None, status=400, token=None, refused=result.value
            )
        response = back("/")
        response.set_cookie(
            SESSION_COOKIE,
            result.session_token,
            max_age=int((result.expires_at - services.clock()).total_seconds()),
            httponly=True,
            # Strict: a link on another site cannot open a log in her name (and write an audit row). Sign-in
            # links from Telegram need no cookie; bookmarks and typed addresses still send it.
            samesite="strict",
            secure=secure(request),
            path="/",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    async def logout(request: Request, viewer: Viewer) -> Response:
        await access.sign_out(viewer=viewer, now=services.clock())
        response = page.render(request, "login.html", viewer=None, token=None, refused=None)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def language(request: Request, viewer: Viewer) -> Response:
        chosen = _field(request.state.form, "locale") or ""
        await access.set_locale(viewer=viewer, locale=chosen)
        target = _field(request.state.form, "next") or "/"
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        return RedirectResponse(target, status_code=303)

    # --- pages ---------------------------------------------------------------------------------------------

    async def overview(request: Request, viewer: Viewer) -> Response:
        result = await dashboard.overview(viewer, services.clock())
        return page.render(request, "overview.html", viewer=viewer, section="overview", overview=result)

    async def waiting(request: Request, viewer: Viewer) -> Response:
        rows = await dashboard.waiting(viewer)
        return page.render(request, "waiting.html", viewer=viewer, section="waiting", rows=rows)

    async def request_page(request: Request, viewer: Viewer) -> Response:
        detail = await dashboard.request_detail(viewer, request.path_params["id"], services.clock())
        if detail is None:
            return error(request, viewer, 404)
        return page.render(request, "request.html", viewer=viewer, section="waiting", d=detail)

    async def send_offer(request: Request, viewer: Viewer) -> Response:
        request_id = request.path_params["id"]
        volunteer_id = _int(_field(request.state.form, "volunteer_id"))
        if volunteer_id is None:
            return error(request, viewer, 404)
        done = await dashboard.send_offer(viewer, request_id, volunteer_id, services.clock())
        if done is None:
            return error(request, viewer, 404)
        services.outbox_wake.set()
        return back(f"/requests/{request_id}", done)

    async def erase_page(request: Request, viewer: Viewer) -> Response:
        request_id = request.path_params["id"]
        if not await dashboard.can_see_request(viewer, request_id, services.clock()):
            return error(request, viewer, 404)
        return page.render(request, "erase.html", viewer=viewer, section="waiting", request_id=request_id)

    async def erase(request: Request, viewer: Viewer) -> Response:
        done = await dashboard.erase_woman(viewer, request.path_params["id"], services.clock())
        if done is None:
            return error(request, viewer, 404)
        services.outbox_wake.set()
        return back("/", done)

    async def matches(request: Request, viewer: Viewer) -> Response:
        active, ended = await dashboard.matches(viewer)
        return page.render(
            request, "matches.html", viewer=viewer, section="matches", active=active, ended=ended
        )

    async def match_page(request: Request, viewer: Viewer) -> Response:
        detail = await dashboard.match_detail(viewer, request.path_params["id"], services.clock())
        if detail is None:
            return error(request, viewer, 404)
        return page.render(request, "match.html", viewer=viewer, section="matches", d=detail)

    def ending(*, reassign: bool) -> Handler:
        async def end(request: Request, viewer: Viewer) -> Response:
            match_id = request.path_params["id"]
            done = await dashboard.end_match(viewer, match_id, services.clock(), reassign=reassign)
            if done is None:
                return error(request, viewer, 404)
            services.outbox_wake.set()
            if done.request_id is not None:
                return back(f"/requests/{done.request_id}", done)
            return back(f"/matches/{match_id}", done)

        return end

    async def media(request: Request, viewer: Viewer) -> Response:
        now = services.clock()
        if "index" in request.path_params:
            found = await dashboard.note_media(
                viewer, request.path_params["id"], request.path_params["index"], now
            )
        else:
            found = await dashboard.log_media(viewer, request.path_params["id"], now)
        if found is None:
            return error(request, viewer, 404)
        try:
            content = await telegram.download(found.file_id)
        except Exception:  # Telegram keeps files for a limited time; the page must still work
            log.warning("a %s from a log could not be fetched from Telegram", found.kind, exc_info=True)
            return PlainTextResponse("This file is no longer available from Telegram.", status_code=410)
        headers = {"Content-Disposition": "attachment"} if found.kind == "document" else {}
        return Response(
            content, media_type=MEDIA_TYPES.get(found.kind, "application/octet-stream"), headers=headers
        )

    async def volunteers(request: Request, viewer: Viewer) -> Response:
        rows = await dashboard.volunteers(viewer, services.clock())
        today = services.clock().astimezone(settings.tz).date()
        return page.render(
            request,
            "volunteers.html",
            viewer=viewer,
            section="volunteers",
            rows=rows,
            default_pause=today + timedelta(days=14),
        )

    async def pause(request: Request, viewer: Viewer) -> Response:
        until = _date(_field(request.state.form, "until"))
        if until is None:
            return back("/bydelsmoedre", "date_in_past")
        done = await dashboard.pause(viewer, request.path_params["id"], until, services.clock())
        return _after_volunteer(request, viewer, done)

    async def resume(request: Request, viewer: Viewer) -> Response:
        done = await dashboard.pause(viewer, request.path_params["id"], None, services.clock())
        return _after_volunteer(request, viewer, done)

    def activity(active: bool) -> Handler:
        async def change(request: Request, viewer: Viewer) -> Response:
            done = await dashboard.set_active(viewer, request.path_params["id"], active, services.clock())
            return _after_volunteer(request, viewer, done)

        return change

    def _after_volunteer(request: Request, viewer: Viewer, done: Done | None) -> Response:
        if done is None:
            return error(request, viewer, 404)
        services.outbox_wake.set()
        return back("/bydelsmoedre", done)

    async def invite(request: Request, viewer: Viewer) -> Response:
        made = await dashboard.create_invite(
            viewer, request.path_params["id"], telegram.bot_username(), services.clock()
        )
        if made is None:
            return error(request, viewer, 404)
        return page.render(
            request,
            "invite.html",
            viewer=viewer,
            section="volunteers",
            invite=made,
            qr_svg=_qr_svg(made.link),
        )

    async def poster(request: Request, viewer: Viewer) -> Response:
        group = next((g for g in viewer.groups if g.id == request.path_params["id"]), None)
        if group is None:
            await dashboard.sees_group(
                viewer, request.path_params["id"], services.clock()
            )  # audits a refusal
            return error(request, viewer, 404)
        link = f"https://t.me/{telegram.bot_username()}?start={group.slug}"
        lines = [
            {
                "lang": locale.code.replace("_", "-"),
                "rtl": locale.rtl,
                "text": coordinator_screens.poster_line(texts(locale.code)),
            }
            for locale in LOCALES
        ]
        return page.render(
            request, "poster.html", viewer=viewer, group=group, link=link, lines=lines, qr_svg=_qr_svg(link)
        )

    async def resolve(request: Request, viewer: Viewer) -> Response:
        done = await dashboard.resolve_alert(viewer, request.path_params["id"], services.clock())
        if done is None:
            return error(request, viewer, 404)
        return back("/", done)

    async def judge(request: Request, viewer: Viewer) -> Response:
        verdict = _field(request.state.form, "verdict") or ""
        done = await dashboard.judge_alert(viewer, request.path_params["id"], verdict, services.clock())
        if done is None:
            return error(request, viewer, 404)
        return back("/", done)

    async def outcomes_page(request: Request, viewer: Viewer) -> Response:
        result = await dashboard.outcomes(viewer, services.clock(), zone=settings.tz, **_filters(request))
        env = environment(viewer.locale, settings.timezone)
        t_ = translator(viewer.locale)
        too_few = t_("too few to show")
        charts = []
        for series in result.series:
            reference = (
                format_percent(series.reference, locale=viewer.locale) if series.reference is not None else ""
            )
            label = t_("2015 evaluation: %(share)s") % {"share": reference}
            points = [
                Point(
                    label=env.filters["month"](month.start),
                    short=format_date(month.start, "MMM yy", locale=viewer.locale),
                    share=series.share(positive, n, hidden),
                    n=n,
                )
                for month, positive, n, hidden in series.points
            ]
            charts.append(
                {
                    "measure": series.measure,
                    "reference": series.reference,
                    "reference_text": reference,
                    "svg": share_chart(
                        points,
                        title=series.measure,
                        reference=series.reference,
                        reference_label=label,
                        too_few_label=too_few,
                    ),
                }
            )
        listening = [
            (
                BY_CODE[row.locale].native_name,
                row.locale,
                listeners_shown(row.listeners),
                row.recorded,
                row.total,
            )
            for row in await services.recordings.coverage()
        ]
        return page.render(
            request,
            "outcomes.html",
            viewer=viewer,
            section="outcomes",
            o=result,
            charts=charts,
            listening=listening,
        )

    async def outcomes_csv(request: Request, viewer: Viewer) -> Response:
        body = await dashboard.outcomes_csv(viewer, services.clock(), zone=settings.tz, **_filters(request))
        day = services.clock().astimezone(settings.tz).date().isoformat()
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="bydelsmor-outcomes-{day}.csv"'},
        )

    def funders_period(request: Request) -> Period:
        """From the chooser's dates, else the last twelve whole months and this one up to today."""
        today = services.clock().astimezone(settings.tz).date()
        last = _date(request.query_params.get("until")) or today
        first = _date(request.query_params.get("since")) or date(last.year - 1, last.month, 1)
        return Period(first, last) if first <= last else Period(last, last)

    async def funders_page(request: Request, viewer: Viewer) -> Response:
        period = funders_period(request)
        group = request.query_params.get("group") or None
        result = await dashboard.funders(viewer, group=group, period=period, zone=settings.tz)
        query = urlencode(
            {"group": group or "", "since": period.first.isoformat(), "until": period.last.isoformat()}
        )
        return page.render(
            request,
            "funders.html",
            viewer=viewer,
            section="funders",
            report=result,
            article=render_article(result),
            chosen=group if group in {g.name for g in viewer.groups} else None,
            period=period,
            query=query,
        )

    def funders_file(kind: str) -> Callable[[Request], Awaitable[Response]]:
        async def download(request: Request, viewer: Viewer) -> Response:
            period = funders_period(request)
            group = request.query_params.get("group") or None
            result = await dashboard.funders_download(
                viewer, services.clock(), group=group, period=period, zone=settings.tz, kind=kind
            )
            body, media = (
                (render_csv(result), "text/csv")
                if kind == "csv"
                else (render_json(result), "application/json")
            )
            name = f"bydelsmor-resultater-{period.first}-{period.last}.{kind}"
            return Response(
                body,
                media_type=f"{media}; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )

        return signed_in(download)

    async def funders_css(_: Request) -> Response:
        # Served by us (the CSP allows only our own stylesheets): the same print rules as the CLI's HTML file.
        return Response(PRINT_CSS, media_type="text/css; charset=utf-8")

    async def audit_page(request: Request, viewer: Viewer) -> Response:
        number = _int(request.query_params.get("page")) or 1
        found = await dashboard.audit_page(viewer, number)
        if found is None:
            return error(request, viewer, 404)
        return page.render(request, "audit.html", viewer=viewer, section="audit", page=found)

    async def parked_page(request: Request, viewer: Viewer) -> Response:
        parked = await dashboard.parked_updates(viewer)
        if parked is None:
            return error(request, viewer, 404)
        return page.render(request, "parked.html", viewer=viewer, section="parked", parked=parked)

    async def retry_update(request: Request, viewer: Viewer) -> Response:
        done = await dashboard.retry_update(viewer, request.path_params["id"], services.clock())
        if done is None:
            return error(request, viewer, 404)
        services.inbox.wake.set()  # this process's worker takes it now, not at its next look
        return back("/parked", done)

    # --- recordings of the key screens (bot.voice) ----------------------------------------------------------

    desk = RecordingsDesk(db=services.db)

    async def recordings_page(request: Request, viewer: Viewer) -> Response:
        shown = await desk.page(viewer, request.query_params.get("language"))
        return page.render(request, "recordings.html", viewer=viewer, section="recordings", r=shown)

    async def recording_audio(request: Request, viewer: Viewer) -> Response:
        """The Bydelsmor's voice note, fetched through the bot from Telegram (getFile, then its file URL)."""
        file_id = await desk.file_id(viewer, request.path_params["id"])
        if file_id is None:
            return error(request, viewer, 404)
        try:
            content = await telegram.download(file_id)
        except Exception:  # Telegram keeps files for a limited time; the page must still work
            log.warning("a recording could not be fetched from Telegram", exc_info=True)
            return PlainTextResponse("This file is no longer available from Telegram.", status_code=410)
        # Telegram keeps voice notes as OGG/Opus; the sandbox's sample tones are WAV files.
        wav = content[:4] == b"RIFF"
        return Response(content, media_type="audio/wav" if wav else MEDIA_TYPES["voice"])

    def deciding(*, approve: bool) -> Handler:
        async def decide(request: Request, viewer: Viewer) -> Response:
            reason = (_field(request.state.form, "reason") or "").strip()
            decided = await desk.decide(
                viewer, request.path_params["id"], approve=approve, reason=reason, now=services.clock()
            )
            if decided is None:
                return error(request, viewer, 404)
            locale, code = decided
            return RedirectResponse(f"/recordings?language={quote(locale)}&done={code}", status_code=303)

        return decide

    lessons = CourseDesk(db=services.db)

    async def course_page(request: Request, viewer: Viewer) -> Response:
        shown = await lessons.page(viewer, request.query_params.get("language"))
        return page.render(
            request, "course.html", viewer=viewer, section="course", c=shown, separator=SEPARATOR
        )

    async def replace_lesson(request: Request, viewer: Viewer) -> Response:
        locale = _field(request.state.form, "language") or ""
        done = await lessons.replace(
            viewer,
            locale=locale,
            number=request.path_params["number"],
            title=_field(request.state.form, "title") or "",
            screens_text=_field(request.state.form, "screens") or "",
            now=services.clock(),
        )
        if done is None:
            return error(request, viewer, 404)
        return RedirectResponse(f"/course?language={quote(locale)}&done={done}", status_code=303)

    async def restore_lesson(request: Request, viewer: Viewer) -> Response:
        locale = _field(request.state.form, "language") or ""
        done = await lessons.restore(
            viewer, locale=locale, number=request.path_params["number"], now=services.clock()
        )
        if done is None:
            return error(request, viewer, 404)
        return RedirectResponse(f"/course?language={quote(locale)}&done={done}", status_code=303)

    questions = services.questions

    async def questions_page(request: Request, viewer: Viewer) -> Response:
        shown = await questions.open_questions(viewer, services.clock())
        return page.render(request, "questions.html", viewer=viewer, section="questions", questions=shown)

    async def answer_question(request: Request, viewer: Viewer) -> Response:
        answer = _field(request.state.form, "answer") or ""
        done = await questions.answer_in_dashboard(
            viewer, request.path_params["id"], answer, services.clock()
        )
        if done is None:
            return error(request, viewer, 404)
        services.outbox_wake.set()
        return back("/questions", done)

    async def question_audio(request: Request, viewer: Viewer) -> Response:
        file_id = await questions.voice_file(viewer, request.path_params["id"])
        if file_id is None:
            return error(request, viewer, 404)
        try:
            content = await telegram.download(file_id)
        except Exception:  # Telegram keeps files for a limited time; the page must still work
            log.warning("a question's voice note could not be fetched from Telegram", exc_info=True)
            return PlainTextResponse("This file is no longer available from Telegram.", status_code=410)
        return Response(content, media_type=MEDIA_TYPES["voice"])

    announcements = services.announcements

    async def announcements_page(request: Request, viewer: Viewer) -> Response:
        rows = await announcements.rows(viewer)
        return page.render(request, "announcements.html", viewer=viewer, section="announcements", rows=rows)

    async def announce(request: Request, viewer: Viewer) -> Response:
        form = request.state.form
        photo: bytes | None = getattr(request.state, "photo", None)
        group_id = _int(_field(form, "group_id"))
        day, at = _date(_field(form, "date")), _time(_field(form, "time"))
        text, place = (_field(form, "text") or "").strip(), (_field(form, "place") or "").strip()
        if group_id is None or day is None or at is None or not text or not place:
            return back("/announcements", "announcement_incomplete")
        if not viewer.sees(group_id):
            return error(request, viewer, 404)

        async def refused(reason: str | None) -> Response:
            """The form again, as she filled it, with why nothing was sent."""
            rows = await announcements.rows(viewer)
            draft = {name: _field(form, name) or "" for name in ("group_id", "text", "date", "time", "place")}
            draft["for_women"] = _field(form, "for_women") or ""
            return page.render(
                request,
                "announcements.html",
                viewer=viewer,
                status=400,
                section="announcements",
                rows=rows,
                draft=draft,
                photo_refused=reason or "",
            )

        photo_file_id = None
        if photo is not None:
            if not photo.startswith(IMAGE_SIGNATURES):
                return await refused(None)
            t_ = translator(viewer.locale)
            caption = t_("This is how the announcement looks.")
            try:
                # Uploaded once, to her own chat: everyone else gets it by its file id, through the outbox.
                photo_file_id = await telegram.upload_photo(viewer.telegram_user_id, photo, caption=caption)
            except PhotoRefusedError as refusal:
                log.warning("Telegram refused an announcement's photo: %s", refusal)
                return await refused(str(refusal) or "?")
        made = await announcements.create(
            viewer,
            group_id=group_id,
            text=text,
            starts_at=datetime.combine(day, at, tzinfo=settings.tz),
            place=place,
            for_women=_field(form, "for_women") == "yes",
            now=services.clock(),
            photo_file_id=photo_file_id,
        )
        if made is None:
            return error(request, viewer, 404)
        services.outbox_wake.set()
        return back(f"/announcements/{made}", "announced")

    async def announcement_page(request: Request, viewer: Viewer) -> Response:
        shown = await announcements.page(viewer, request.path_params["id"])
        if shown is None:
            return error(request, viewer, 404)
        return page.render(request, "announcement.html", viewer=viewer, section="announcements", a=shown)

    async def announcement_photo(request: Request, viewer: Viewer) -> Response:
        shown = await announcements.page(viewer, request.path_params["id"])
        if shown is None or shown.row.photo_file_id is None:
            return error(request, viewer, 404)
        try:
            content = await telegram.download(shown.row.photo_file_id)
        except Exception:  # Telegram keeps files for a limited time; the page must still work
            log.warning("an announcement's photo could not be fetched from Telegram", exc_info=True)
            return PlainTextResponse("This file is no longer available from Telegram.", status_code=410)
        return Response(content, media_type=MEDIA_TYPES["photo"])  # Telegram keeps photos as JPEG

    def translation_decision(*, approve: bool) -> Handler:
        async def decide(request: Request, viewer: Viewer) -> Response:
            decided = await announcements.decide_translation(
                viewer, request.path_params["id"], approve=approve, now=services.clock()
            )
            if decided is None:
                return error(request, viewer, 404)
            services.outbox_wake.set()
            announcement_id, code = decided
            return back(f"/announcements/{announcement_id}", code)

        return decide

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    get, post = ["GET"], ["POST"]
    return [
        Route("/healthz", health, methods=get),
        Route("/login", login_page, methods=get),
        Route("/login", login, methods=post),
        Route("/logout", signed_in(logout, form=True), methods=post),
        Route("/language", signed_in(language, form=True), methods=post),
        Route("/", signed_in(overview), methods=get),
        Route("/waiting", signed_in(waiting), methods=get),
        Route("/requests/{id}", signed_in(request_page), methods=get),
        Route("/requests/{id}/offer", signed_in(send_offer, form=True), methods=post),
        Route("/requests/{id}/erase", signed_in(erase_page), methods=get),
        Route("/requests/{id}/erase", signed_in(erase, form=True), methods=post),
        Route("/matches", signed_in(matches), methods=get),
        Route("/matches/{id}", signed_in(match_page), methods=get),
        Route("/matches/{id}/end", signed_in(ending(reassign=False), form=True), methods=post),
        Route("/matches/{id}/reassign", signed_in(ending(reassign=True), form=True), methods=post),
        Route("/media/log/{id}", signed_in(media), methods=get),
        Route("/media/note/{id}/{index}", signed_in(media), methods=get),
        Route("/bydelsmoedre", signed_in(volunteers), methods=get),
        Route("/bydelsmoedre/{id}/pause", signed_in(pause, form=True), methods=post),
        Route("/bydelsmoedre/{id}/resume", signed_in(resume, form=True), methods=post),
        Route("/bydelsmoedre/{id}/deactivate", signed_in(activity(False), form=True), methods=post),
        Route("/bydelsmoedre/{id}/reactivate", signed_in(activity(True), form=True), methods=post),
        Route("/groups/{id}/invite", signed_in(invite, form=True), methods=post),
        Route("/groups/{id}/poster", signed_in(poster), methods=get),
        Route("/alerts/{id}/resolve", signed_in(resolve, form=True), methods=post),
        Route("/alerts/{id}/judge", signed_in(judge, form=True), methods=post),
        Route("/outcomes", signed_in(outcomes_page), methods=get),
        Route("/outcomes.csv", signed_in(outcomes_csv), methods=get),
        Route("/funders", signed_in(funders_page), methods=get),
        Route("/funders.csv", funders_file("csv"), methods=get),
        Route("/funders.json", funders_file("json"), methods=get),
        Route("/funders.css", funders_css, methods=get),
        Route("/audit", signed_in(audit_page), methods=get),
        Route("/parked", signed_in(parked_page), methods=get),
        Route("/parked/{id}/retry", signed_in(retry_update, form=True), methods=post),
        Route("/recordings", signed_in(recordings_page), methods=get),
        Route("/course", signed_in(course_page), methods=get),
        Route("/course/{number}", signed_in(replace_lesson, form=True), methods=post),
        Route("/course/{number}/restore", signed_in(restore_lesson, form=True), methods=post),
        Route("/media/recording/{id}", signed_in(recording_audio), methods=get),
        Route("/recordings/{id}/approve", signed_in(deciding(approve=True), form=True), methods=post),
        Route("/recordings/{id}/reject", signed_in(deciding(approve=False), form=True), methods=post),
        Route("/questions", signed_in(questions_page), methods=get),
        Route("/questions/{id}/answer", signed_in(answer_question, form=True), methods=post),
        Route("/media/question/{id}", signed_in(question_audio), methods=get),
        Route("/announcements", signed_in(announcements_page), methods=get),
        Route("/announcements", signed_in(announce, photo=True), methods=post),
        Route("/announcements/{id}", signed_in(announcement_page), methods=get),
        Route("/media/announcement/{id}", signed_in(announcement_photo), methods=get),
        Route(
            "/announcement-translations/{id}/approve",
            signed_in(translation_decision(approve=True), form=True),
            methods=post,
        ),
        Route(
            "/announcement-translations/{id}/reject",
            signed_in(translation_decision(approve=False), form=True),
            methods=post,
        ),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def _filters(request: Request) -> dict[str, str | None]:
    """The outcome page's filters: a group and a spoken language, each "all" when empty."""
    return {
        "group": request.query_params.get("group") or None,
        "language": request.query_params.get("language") or None,
    }


async def _read_form(request: Request) -> FormData | None:
    """The form's fields, or None when its body is over FORM_LIMIT (read no further than that).

    Our forms are URL-encoded (no file uploads), so they are parsed here rather than by python-multipart;
    anything else reads as an empty form, which fails the CSRF check.
    """
    body = await read_body(request, limit=FORM_LIMIT)
    if body is None:
        return None
    try:
        fields = parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):  # not UTF-8, or more fields than any of our forms has
        return FormData()
    return FormData([(name, value) for name, value in fields])


async def _read_form_with_photo(request: Request) -> FormData | None:
    """A form that may carry one photo: its fields, with the photo's bytes in request.state.photo.

    None when the body is over PHOTO_FORM_LIMIT (read no further than that). The body is read by read_body,
    like every form's, and only then parsed (multipart or URL-encoded), from memory; a body that does not
    parse, or has more than one file, reads as an empty form, which fails the CSRF check.
    """
    body = await read_body(request, limit=PHOTO_FORM_LIMIT)
    if body is None:
        return None
    unread = True

    async def replay() -> Message:
        nonlocal unread
        if unread:
            unread = False
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    try:
        parsed = await Request(request.scope, replay).form(
            max_files=1, max_fields=FORM_FIELDS, max_part_size=FORM_LIMIT
        )
    except (MultiPartException, HTTPException):  # Starlette turns a MultiPartException into a 400
        return FormData()
    fields: list[tuple[str, str | UploadFile]] = []
    request.state.photo = None
    try:
        for name, value in parsed.multi_items():
            if isinstance(value, str):
                fields.append((name, value))
            elif name == "photo":
                content = await value.read()
                request.state.photo = content or None  # no file chosen: an empty part
    finally:
        await parsed.close()
    return FormData(fields)


def _ids(path_params: dict[str, Any]) -> dict[str, int] | None:
    """The ids in a path as numbers, or None when one is not a number or too large for an id column."""
    ids: dict[str, int] = {}
    for name, value in path_params.items():
        number = _int(value)
        if number is None:
            return None
        ids[name] = number
    return ids


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def _int(value: str | None) -> int | None:
    """A form's or a path's id: digits up to LARGEST_ID, else None (which the pages answer with 404)."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _qr_svg(link: str) -> str:
    """The QR code as inline SVG (no image request, prints sharp)."""
    # omitsize: a viewBox instead of a fixed size, so CSS scales the whole code (quiet zone included).
    return str(segno.make(link, error="m").svg_inline(scale=8, border=4, omitsize=True, title=link))
