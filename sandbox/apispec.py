"""Checks Bot API calls against the bundled Bot API description (telegram-bot-api.json).

Parameters arrive as Telegram receives them: from a JSON body (native types) or from a form, multipart
body or query string (every value a string, objects and arrays JSON-encoded). ``normalize`` turns both
into native Python values, and raises ``TelegramError`` with Telegram's status and wording where
Telegram would refuse the call.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sandbox import tgformat
from sandbox.errors import TelegramError

__all__ = ["ApiSpec", "TelegramError"]

SPEC_PATH = Path(__file__).with_name("telegram-bot-api.json")
MAX_TEXT = 4096
MAX_CAPTION = 1024
_INT_RE = re.compile(r"^\s*[+-]?\d+\s*$")
_MARKUP_PARAMS = {"reply_markup"}
_NOT_JSON = object()


class _MismatchError(Exception):
    """A value does not have one of the expected types (internal; turned into a TelegramError)."""

    def __init__(self, path: str, expected: str) -> None:
        super().__init__(path)
        self.path = path
        self.expected = expected


def bad_request(text: str) -> TelegramError:
    """A 400 answer with Telegram's "Bad Request: " prefix."""
    return TelegramError(400, f"Bad Request: {text}")


class ApiSpec:
    """The Bot API methods and types, and validation of calls against them."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = str(data.get("version", ""))
        self.methods: dict[str, dict[str, Any]] = dict(data["methods"])
        self.types: dict[str, dict[str, Any]] = dict(data["types"])
        self._by_lower = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls) -> ApiSpec:
        """The spec bundled with the sandbox (parsed once per process)."""
        return _load_bundled()

    def method_name(self, method: str) -> str | None:
        """The canonical spelling of a method (Telegram's method names are case-insensitive)."""
        return self._by_lower.get(method.lower())

    def fields(self, method: str) -> list[dict[str, Any]]:
        """The parameters of a method, as in the spec."""
        name = self.method_name(method)
        if name is None:
            raise TelegramError(404, "Not Found")
        return list(self.methods[name].get("fields", []))

    def validate(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, object] | None = None
    ) -> None:
        """Raise TelegramError exactly where Telegram would refuse this call."""
        self.normalize(method, params, files)

    def normalize(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, object] | None = None
    ) -> dict[str, Any]:
        """Validate a call and return its parameters as native values (ints, bools, dicts, lists).

        ``files`` are the multipart file parts by part name; a required InputFile parameter is present
        when a part of that name was uploaded. Parameters the spec does not know are kept as they are
        (Telegram ignores them).
        """
        name = self.method_name(method)
        if name is None:
            raise TelegramError(404, "Not Found")
        files = files or {}
        out: dict[str, Any] = {k: v for k, v in params.items() if v is not None}
        for field in self.methods[name].get("fields", []):
            pname: str = field["name"]
            types: list[str] = field["types"]
            value = out.get(pname)
            if isinstance(value, str) and value == "" and "String" not in types:
                value = None  # form fields sent empty count as absent
                out.pop(pname, None)
            if value is None:
                if field["required"] and not ("InputFile" in types and pname in files):
                    raise self._missing(name, pname, types)
                continue
            out[pname] = self._coerce_param(pname, value, types)
        self._check_semantics(name, out)
        return out

    # -- errors -------------------------------------------------------------------------------------

    @staticmethod
    def _missing(method: str, pname: str, types: list[str]) -> TelegramError:
        if pname == "text":
            return bad_request("message text is empty")
        if "InputFile" in types:
            return bad_request(f"there is no {pname} in the request")
        return bad_request(f"{pname} is empty")

    # -- coercion -----------------------------------------------------------------------------------

    def _coerce_param(self, pname: str, value: Any, types: list[str]) -> Any:
        decoded: Any = _NOT_JSON
        wants_json = any(t.startswith("Array of") or t in self.types for t in types)
        if isinstance(value, str) and wants_json and not any(t in ("String", "InputFile") for t in types):
            try:
                decoded = json.loads(value)
            except ValueError:
                if pname in _MARKUP_PARAMS:
                    raise bad_request("can't parse reply keyboard markup JSON object") from None
                if not any(t in ("Integer", "Float", "Boolean") for t in types):
                    raise bad_request(f"can't parse {pname} JSON object") from None
        candidates = [value] if decoded is _NOT_JSON else [decoded, value]
        first: _MismatchError | None = None
        for candidate in candidates:
            try:
                return self._coerce_any(candidate, types, pname)
            except _MismatchError as exc:
                first = first or exc
        assert first is not None
        if first.path == pname:
            raise bad_request(f'field "{pname}" must be of type {first.expected}')
        if pname in _MARKUP_PARAMS:
            raise bad_request(
                f'can\'t parse reply keyboard markup: field "{first.path}" must be of type {first.expected}'
            )
        raise bad_request(f'can\'t parse {pname}: field "{first.path}" must be of type {first.expected}')

    def _coerce_any(self, value: Any, types: list[str], path: str) -> Any:
        first: _MismatchError | None = None
        for t in types:
            try:
                return self._coerce(value, t, path)
            except _MismatchError as exc:
                # Prefer the error from the deepest path: it says best what is wrong.
                if first is None or len(exc.path) > len(first.path):
                    first = exc
        if first is None or first.path == path:
            raise _MismatchError(path, " or ".join(types))
        raise first

    def _coerce(self, value: Any, t: str, path: str) -> Any:
        if t == "Integer":
            if isinstance(value, bool):
                raise _MismatchError(path, t)
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str) and _INT_RE.match(value):
                return int(value)
            raise _MismatchError(path, t)
        if t == "Float":
            if isinstance(value, bool):
                raise _MismatchError(path, t)
            if isinstance(value, int | float):
                return float(value)
            if isinstance(value, str):
                try:
                    f = float(value)
                except ValueError:
                    raise _MismatchError(path, t) from None
                if math.isfinite(f):
                    return f
            raise _MismatchError(path, t)
        if t == "Boolean":
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
                return value.strip().lower() in ("true", "1")
            raise _MismatchError(path, t)
        if t in ("String", "InputFile"):
            if isinstance(value, str):
                return value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return str(value)  # Telegram accepts JSON numbers where it wants a string
            raise _MismatchError(path, t)
        if t.startswith("Array of "):
            if not isinstance(value, list):
                raise _MismatchError(path, t)
            inner = t.removeprefix("Array of ")
            return [self._coerce(item, inner, f"{path}[{i}]") for i, item in enumerate(value)]
        spec = self.types.get(t)
        if spec is None:
            return value  # a type the spec does not describe: accept as Telegram's docs allow anything
        if t == "KeyboardButton" and isinstance(value, str):
            return {"text": value}  # Telegram accepts plain strings as reply keyboard buttons
        subtypes: list[str] | None = spec.get("subtypes")
        if subtypes:
            return self._coerce_any(value, subtypes, path)
        if not isinstance(value, dict):
            raise _MismatchError(path, t)
        out = dict(value)
        for field in spec.get("fields", []):
            fname: str = field["name"]
            fpath = f"{path}.{fname}"
            if out.get(fname) is None:
                if field["required"]:
                    raise _MismatchError(fpath, " or ".join(field["types"]))
                continue
            out[fname] = self._coerce_any(out[fname], field["types"], fpath)
        return out

    # -- content rules ------------------------------------------------------------------------------

    def _check_semantics(self, method: str, p: dict[str, Any]) -> None:
        field_names = {f["name"] for f in self.methods[method].get("fields", [])}
        if "text" in field_names and "text" in p and method in ("sendMessage", "editMessageText"):
            plain = _plain(p["text"], p.get("parse_mode"))
            if not plain.strip():
                raise bad_request("message text is empty")
            if len(plain) > MAX_TEXT:
                raise bad_request("message is too long")
        elif method == "editMessageText" and "rich_message" not in p:
            raise bad_request("message text is empty")
        if "caption" in field_names and "caption" in p:
            plain = _plain(p["caption"], p.get("parse_mode"))
            if len(plain) > MAX_CAPTION:
                raise bad_request("message caption is too long")
        if (
            "parse_mode" in p
            and p["parse_mode"]
            and str(p["parse_mode"]).lower()
            not in (
                "html",
                "markdown",
                "markdownv2",
            )
        ):
            raise bad_request(f'unsupported parse_mode "{p["parse_mode"]}"')
        markup = p.get("reply_markup")
        if isinstance(markup, dict):
            _check_markup(markup)


def _plain(text: str, parse_mode: object) -> str:
    """The text as Telegram counts it: after HTML parsing (other parse modes are not parsed)."""
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        try:
            return tgformat.parse_html(text)[0]
        except tgformat.HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    return text


_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _check_markup(markup: dict[str, Any]) -> None:
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                continue
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
                raise bad_request("BUTTON_URL_INVALID")
            if not any(button.get(k) is not None for k in _INLINE_ACTIONS):
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )


@cache
def _load_bundled() -> ApiSpec:
    return ApiSpec(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
