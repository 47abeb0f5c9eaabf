"""The real bot (`python -m bot run`) as a child process, talking over HTTP to a stand-in in the test."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

from handlers.webhook import WEBHOOK_PATH
from sandbox.standin import StandIn

__all__ = ["BotProcess", "free_port"]

STARTUP_TIMEOUT = 60.0
REPOSITORY = Path(__file__).resolve().parents[2]


class BotProcess:
    """Start, SIGKILL and restart the bot; ready once it asks Telegram for updates (or sets its webhook).

    With `webhook_port`, the bot runs in webhook mode: it tells Telegram a public https address (which only
    names the webhook; the stand-in's `webhook_targets` decide where pushes go) and listens on that port.
    """

    def __init__(
        self,
        *,
        standin: StandIn,
        api_url: str,
        token: str,
        database_url: str,
        data_key: str,
        folder: Path,
        webhook_port: int | None = None,
    ):
        self.standin = standin
        self.folder = folder
        self.webhook_port = webhook_port
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "WEBHOOK_"))},
            "BOT_TOKEN": token,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": database_url,
            "DATA_KEY": data_key,
            "DATA_DIR": str(folder),
            "DASHBOARD_PORT": "0",
            "QUIET_HOURS": "off",
        }
        if webhook_port is not None:
            self.env |= {
                "DASHBOARD_PORT": str(webhook_port),
                "WEBHOOK_URL": "https://bydelsmor.example",
                "WEBHOOK_SECRET": "fault-test-webhook-secret",
            }
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._log = (folder / "bot.log").open("ab")

    @property
    def webhook_url(self) -> str:
        """Where this process takes Telegram's pushes (behind the public address, as behind a balancer)."""
        return f"http://127.0.0.1:{self.webhook_port}{WEBHOOK_PATH}"

    async def start(self) -> None:
        ready_call = "getUpdates" if self.webhook_port is None else "setWebhook"
        polls_before = len(self.standin.calls(ready_call))
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=self.folder,  # no .env of the developer's is read
            env={**self.env, "PYTHONPATH": str(REPOSITORY)},
            stdout=self._log,
            stderr=self._log,
        )
        self.starts += 1
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while len(self.standin.calls(ready_call)) <= polls_before:
            if self.process.returncode is not None:
                raise RuntimeError(
                    f"the bot exited with {self.process.returncode}; see {self.folder}/bot.log"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not call {ready_call}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no finally, as when the server dies."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), timeout=30)
        self._log.close()
        return code


def free_port() -> int:
    """A port nothing listens on now (the bot binds it a moment later; another taker is unlikely)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
