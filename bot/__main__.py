"""`python -m bot run | migrate | genkey | safety check | ...`."""

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
    from bot.services import Services

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The Bydelsmor bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (the sandbox when BOT_TOKEN is unset)")
    commands.add_parser("migrate", help="bring the database schema up to date")
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
    report.add_argument("--format", choices=("text", "csv"), default="text")

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

    since = datetime.combine(arguments.since, time(), tzinfo=UTC) if arguments.since else None
    async with services.db.transaction() as session:
        matches, checkins = await report.collect(session, group=arguments.group, since=since)
    lines = report.summarise(matches, checkins)
    return report.render_csv(lines) if arguments.format == "csv" else report.render_text(lines)


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
