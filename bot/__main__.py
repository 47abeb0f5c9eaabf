"""`python -m bot run | migrate | genkey | backup | restore | rotate-key | safety check | ...`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet

from bot.config import SettingsError, load_settings
from bot.logs import configure as configure_logging

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services import Services

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The Bydelsmor bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (the sandbox when BOT_TOKEN is unset)")
    migrate_command = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate_command.add_argument(
        "--check", action="store_true", help="change nothing: exit 1 and say which if a migration is pending"
    )
    backup = commands.add_parser("backup", help="write a consistent copy of the database, while the bot runs")
    backup.add_argument("file", type=Path, help="a new file to write")
    restore = commands.add_parser("restore", help="restore a backup into an empty database, and check it")
    restore.add_argument("file", type=Path, help="a file written by `backup`")
    rotate = commands.add_parser(
        "rotate-key", help='re-encrypt every field with the first key of DATA_KEY="new,old"'
    )
    rotate.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
    commands.add_parser("genkey", help="print a new DATA_KEY")

    volunteer = commands.add_parser("volunteer", help="Bydelsmødre: add, list").add_subparsers(
        dest="action", required=True
    )
    add = volunteer.add_parser("add", help="register a Bydelsmor by her Telegram id")
    add.add_argument("--telegram-id", type=int, required=True, help="her numeric Telegram user id")
    add.add_argument("--name", required=True, help="the name women will see (a first name is enough)")
    add.add_argument("--languages", required=True, help="languages she speaks, ISO 639 codes: so,ar,prs")
    add.add_argument("--postcode", help="her Danish postcode")
    add.add_argument("--capacity", type=int, default=3, help="new women a month (default 3)")
    add.add_argument("--locale", help="the language of her bot messages, e.g. so (default: her phone's)")
    add.add_argument("--group", help="her local group (name or poster slug)")
    volunteer.add_parser("list", help="list the Bydelsmødre")

    group = commands.add_parser("group", help="local groups: add, list").add_subparsers(
        dest="action", required=True
    )
    group_add = group.add_parser("add", help="add a local group and the postcodes it covers")
    group_add.add_argument("name", help='e.g. "Bydelsmødre Gellerup"')
    group_add.add_argument("--postcodes", required=True, help="comma separated, e.g. 8210,8220,8381")
    group.add_parser("list", help="list the groups and their poster links")

    coordinator = commands.add_parser("coordinator", help="coordinators: add").add_subparsers(
        dest="action", required=True
    )
    coordinator_add = coordinator.add_parser("add", help="a coordinator gets alerts and can make invitations")
    coordinator_add.add_argument("--telegram-id", type=int, required=True)
    coordinator_add.add_argument("--group", help="the group she coordinates")
    coordinator_add.add_argument("--admin", action="store_true", help="national admin: all groups")
    coordinator_add.add_argument("--locale", help="the language of her alerts, e.g. da")

    report = commands.add_parser("report", help="the evaluation's measures per group and language")
    report.add_argument("--group", help="only this group")
    report.add_argument("--since", type=date.fromisoformat, help="only from this date on (YYYY-MM-DD)")
    report.add_argument(
        "--until", type=date.fromisoformat, help="up to and including this date (YYYY-MM-DD; html, csv, json)"
    )
    report.add_argument(
        "--format",
        choices=("text", "html", "csv", "json"),
        default="text",
        help="text: per group and language; html, csv, json: the funders' report (Danish, printable)",
    )

    invite = commands.add_parser("invite", help="an invitation link (and QR code) for a new Bydelsmor")
    invite.add_argument("--group", required=True)
    invite.add_argument("--qr", default="invite-qr.png", help="where to write the QR code PNG")
    invite.add_argument("--username", help="the bot's username (default: asked from Telegram)")

    translations = commands.add_parser("translations", help="the Bydelsmødre's translation suggestions")
    actions = translations.add_subparsers(dest="action", required=True)
    review = actions.add_parser("review", help="approve or reject pending suggestions, one by one")
    review.add_argument("--locale", help="only this locale, e.g. so")
    review.add_argument("--who", default="coordinator", help="your name, kept with each decision")
    export = actions.add_parser("export", help="write a catalog with the approved texts as a .po file")
    export.add_argument("locale", help="e.g. so")
    export.add_argument("--output", help="file to write (default: standard output)")
    recordings = commands.add_parser("recordings", help="the Bydelsmødre's recordings of the key screens")
    recording_actions = recordings.add_subparsers(dest="action", required=True)
    recording_list = recording_actions.add_parser("list", help="every recording and its status")
    recording_list.add_argument("--locale", help="only this locale, e.g. so")
    recording_review = recording_actions.add_parser("review", help="approve or reject waiting recordings")
    recording_review.add_argument("--locale", help="only this locale, e.g. so")
    recording_review.add_argument("--who", default="coordinator", help="your name, kept with each decision")
    recording_export = recording_actions.add_parser("export", help="the approved recordings as CSV")
    recording_export.add_argument("--locale", help="only this locale, e.g. so")
    safety = commands.add_parser("safety", help="the danger rules: try sentences").add_subparsers(
        dest="action", required=True
    )
    check = safety.add_parser("check", help="judge sentences from standard input, one a line")
    check.add_argument("--language", required=True, help="her interface and spoken language, e.g. so")
    arguments = parser.parse_args(argv)

    configure_logging("text")

    if arguments.command == "genkey":
        print(Fernet.generate_key().decode())
        return 0
    if arguments.command == "safety":
        return _safety_check(arguments.language)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    configure_logging(settings.log_format)

    if (operation := _operation(arguments, settings)) is not None:
        return operation

    from bot.services import build_services
    from storage.migrate import upgrade

    services = build_services(settings)

    async def migrate() -> None:
        await upgrade(services.db.engine, cipher=services.db.cipher)
        await services.db.dispose()

    async def run() -> None:
        from bot.app import run as run_bot

        await upgrade(services.db.engine, cipher=services.db.cipher)
        try:
            await run_bot(settings, services)
        finally:
            await services.db.dispose()

    if arguments.command == "migrate":
        asyncio.run(migrate())
        print("The database is up to date.")
        return 0
    if arguments.command == "run":
        asyncio.run(run())
        return 0
    return asyncio.run(_admin(arguments, services))


def _operation(arguments: argparse.Namespace, settings: Settings) -> int | None:
    """Backup, restore, key rotation and the migration check (bot.operations); None for other commands."""
    from bot.operations import commands

    if arguments.command == "migrate" and arguments.check:
        return asyncio.run(commands.migrate_check_command(settings))
    if arguments.command == "backup":
        return asyncio.run(commands.backup_command(settings, arguments.file))
    if arguments.command == "restore":
        return asyncio.run(commands.restore_command(settings, arguments.file))
    if arguments.command == "rotate-key":
        return asyncio.run(commands.rotate_key_command(settings, batch_size=arguments.batch_size))
    return None


def _safety_check(language: str) -> int:
    from bot.domain.safety import LANGUAGES, languages_for
    from bot.language_guess import LinguaGuesser
    from bot.safety_check import check_lines

    if not languages_for(language) - {"en", "da"} and language not in ("en", "da"):
        print(f"error: no rules for {language!r}; known: {', '.join(LANGUAGES)}", file=sys.stderr)
        return 2
    for answer in check_lines(sys.stdin, language=language, guesser=LinguaGuesser()):
        print(answer, flush=True)
    return 0


async def _admin(arguments: argparse.Namespace, services: Services) -> int:
    from bot import admin
    from bot.groups import GroupError
    from storage.migrate import is_up_to_date

    if not await is_up_to_date(services.db.engine):
        await services.db.dispose()
        print("error: the database is not up to date. Run `python -m bot migrate` first.", file=sys.stderr)
        return 2
    try:
        if arguments.command == "report":
            print(await _report(arguments, services), end="")
        elif arguments.command in ("group", "coordinator", "invite"):
            print(await _groups(arguments, services))
        elif arguments.command == "volunteer" and arguments.action == "add":
            print(
                await admin.add_volunteer(
                    services,
                    telegram_id=arguments.telegram_id,
                    name=arguments.name,
                    languages=arguments.languages,
                    postcode=arguments.postcode,
                    capacity=arguments.capacity,
                    locale=arguments.locale,
                    now=services.clock(),
                    group=arguments.group,
                )
            )
        elif arguments.command == "volunteer":
            print("\n".join(await admin.list_volunteers(services)) or "No Bydelsmødre yet.")
        elif arguments.command == "recordings":
            print(await _recordings(arguments, services), end="")
        elif arguments.action == "review":
            approved, rejected = await admin.review_translations(
                services, locale=arguments.locale, ask=input, who=arguments.who, now=services.clock
            )
            print(f"{approved} approved, {rejected} rejected.")
        else:
            po, orphans = await services.translations.export(code=arguments.locale)
            for orphan in orphans:
                print(f"note: an approved text whose English source is gone: {orphan!r}", file=sys.stderr)
            if arguments.output:
                await asyncio.to_thread(Path(arguments.output).write_bytes, po)
                print(f"Wrote {arguments.output}")
            else:
                sys.stdout.buffer.write(po)
    except (admin.AdminError, GroupError, LookupError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        await services.db.dispose()
    return 0


async def _report(arguments: argparse.Namespace, services: Services) -> str:
    from bot import report

    if arguments.format != "text":
        return await _funders_report(arguments, services)
    since = datetime.combine(arguments.since, time(), tzinfo=UTC) if arguments.since else None
    async with services.db.transaction() as session:
        matches, checkins = await report.collect(session, group=arguments.group, since=since)
    lines = report.summarise(matches, checkins)
    from bot.voice.admin import coverage_lines

    listening = coverage_lines(await services.recordings.coverage())
    return report.render_text(lines) + "\n" + "\n".join(listening) + "\n"


async def _funders_report(arguments: argparse.Namespace, services: Services) -> str:
    """The funders' report for --since..--until (default: the last twelve months up to today)."""
    from bot.funders import Period, funders_report
    from bot.funders.render import render_csv, render_html, render_json

    zone = services.settings.tz
    today = services.clock().astimezone(zone).date()
    last = arguments.until or today
    first = arguments.since or date(last.year - 1, last.month, 1)
    if first > last:
        raise LookupError(f"--since {first} is after --until {last}")
    groups = [arguments.group] if arguments.group else None
    result = await funders_report(services.db, groups=groups, period=Period(first, last), zone=zone)
    renderers = {"html": render_html, "csv": render_csv, "json": render_json}
    return renderers[arguments.format](result)


async def _recordings(arguments: argparse.Namespace, services: Services) -> str:
    from bot.voice import admin as voice_admin

    if arguments.action == "list":
        lines = await voice_admin.list_recordings(services.recordings, locale=arguments.locale)
        return "\n".join(lines or ["No recordings yet."]) + "\n"
    if arguments.action == "export":
        return await voice_admin.export_recordings(services.recordings, locale=arguments.locale)
    approved, rejected = await voice_admin.review_recordings(
        services.recordings,
        locale=arguments.locale,
        ask=input,
        listen_at=services.settings.dashboard_base_url,
        who=arguments.who,
        now=services.clock,
    )
    return f"{approved} approved, {rejected} rejected.\n"


async def _groups(arguments: argparse.Namespace, services: Services) -> str:
    from bot import admin

    now = services.clock()
    if arguments.command == "group" and arguments.action == "add":
        return await services.groups.add_group(name=arguments.name, postcodes=arguments.postcodes, now=now)
    if arguments.command == "group":
        return "\n".join(await admin.list_groups(services)) or "No groups yet."
    if arguments.command == "coordinator":
        return await services.groups.add_coordinator(
            telegram_id=arguments.telegram_id,
            group=arguments.group,
            admin=arguments.admin,
            locale=arguments.locale,
            now=now,
        )
    username = arguments.username or await admin.bot_username(services.settings)
    link = await services.groups.create_invite(group=arguments.group, bot_username=username, now=now)
    await asyncio.to_thread(Path(arguments.qr).write_bytes, link.qr_png)
    until = f"{link.expires_at:%Y-%m-%d %H:%M} UTC"
    return f"{link.link}\nFor {link.group}; works once, until {until}. QR code: {arguments.qr}"


if __name__ == "__main__":
    raise SystemExit(main())
