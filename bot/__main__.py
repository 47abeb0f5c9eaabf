"""`python -m bot run | migrate | genkey`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from cryptography.fernet import Fernet

from bot.config import SettingsError, load_settings

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The Bydelsmor bot.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (the sandbox when BOT_TOKEN is unset)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("genkey", help="print a new DATA_KEY")
    arguments = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    if arguments.command == "genkey":
        print(Fernet.generate_key().decode())
        return 0
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2

    from bot.services import build_services
    from storage.migrate import upgrade

    services = build_services(settings)

    async def migrate() -> None:
        await upgrade(services.db.engine)
        await services.db.dispose()

    async def run() -> None:
        from bot.app import run as run_bot

        await upgrade(services.db.engine)
        try:
            await run_bot(settings, services)
        finally:
            await services.db.dispose()

    if arguments.command == "migrate":
        asyncio.run(migrate())
        print("The database is up to date.")
        return 0
    asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
