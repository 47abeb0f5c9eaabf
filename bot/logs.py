"""Logging set up once at start: readable lines, or (LOG_FORMAT=json) one JSON object a line for a collector.

A JSON line holds the time, level, logger, event, and, while an update is handled, its update id; a line
that measured something has its duration. What is logged never includes a message's text, a name or a
Telegram id: the log calls pass ids of our own rows and error classes only, and an exception is written as
its class and its stack of code locations, never its message (a database error's message may quote a row,
a Telegram error's the text that was refused). tests/bot/test_logs.py runs a conversation and looks.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

__all__ = ["JsonFormatter", "LogFormat", "configure", "handling_update"]

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# The update the current task is handling, so that every line logged meanwhile names it.
_update_id: ContextVar[int | None] = ContextVar("log_update_id", default=None)


@contextmanager
def handling_update(update_id: int) -> Iterator[None]:
    token = _update_id.set(update_id)
    try:
        yield
    finally:
        _update_id.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        update_id = getattr(record, "update_id", None)
        if update_id is None:
            update_id = _update_id.get()
        if update_id is not None:
            line["update_id"] = update_id
        duration = getattr(record, "duration", None)
        if isinstance(duration, int | float):
            line["duration"] = round(float(duration), 6)
        if record.exc_info and record.exc_info[0] is not None:
            error_type, _, trace = record.exc_info
            line["error"] = error_type.__name__
            # Where it happened, not what it said: the message may quote her words or a row.
            line["stack"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}" for frame in traceback.extract_tb(trace)
            ]
        return json.dumps(line, ensure_ascii=False)


def configure(log_format: LogFormat, *, stream: TextIO | None = None) -> None:
    """Replace the root logger's handler: text lines for people, or JSON lines for a log collector.

    To standard error unless `stream` says otherwise (systemd's journal and docker both read it).
    """
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # httpx logs every request's URL at INFO, and Telegram's URLs carry the bot's token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
