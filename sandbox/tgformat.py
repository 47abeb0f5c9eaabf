"""Telegram text formatting: the HTML parse mode and message entities, as Telegram computes them.

Offsets and lengths of entities are in UTF-16 code units, like Telegram's, so that Arabic, emoji and
other non-BMP text get the same entities as in production.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["HtmlParseError", "command_entities", "parse_html", "utf16_len"]

# Tag -> entity type. Telegram accepts these aliases (see "HTML style" in the Bot API docs).
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_OTHER_TAGS = {"a", "span", "blockquote", "tg-emoji"}
_ATTR_RE = re.compile(r"""\s*([a-zA-Z_:-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


class HtmlParseError(ValueError):
    """Raised with Telegram's wording (without the "Bad Request: can't parse entities: " prefix)."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entities Telegram gives a user's text ("/start abc": offset 0, length 6)."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group(0)),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity starting at text[pos] == "&"; None when it is no entity (kept literally)."""
    end = text.find(";", pos, pos + 12)
    if end == -1:
        return None
    name = text[pos + 1 : end]
    if name in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[name], end + 1
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
            return chr(code), end + 1
        except (ValueError, OverflowError):
            return None
    return None


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entities); raise HtmlParseError where Telegram would."""
    plain: list[str] = []
    plain_len = 0  # in UTF-16 units
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, int, dict[str, Any]]] = []
    template: dict[str, Any]  # (tag, start offset, entity template)
    pos = 0
    n = len(text)

    def byte_offset(i: int) -> int:
        return len(text[:i].encode("utf-8"))

    while pos < n:
        ch = text[pos]
        if ch == "&":
            decoded = _decode_entity(text, pos)
            if decoded is None:
                piece, pos = "&", pos + 1
            else:
                piece, pos = decoded
            plain.append(piece)
            plain_len += utf16_len(piece)
            continue
        if ch != "<":
            nxt = min((i for i in (text.find("<", pos), text.find("&", pos)) if i != -1), default=n)
            piece = text[pos:nxt]
            plain.append(piece)
            plain_len += utf16_len(piece)
            pos = nxt
            continue
        # A tag.
        end = text.find(">", pos)
        if end == -1:
            raise HtmlParseError(f"Can't find end of the tag starting at byte offset {byte_offset(pos)}")
        inner = text[pos + 1 : end]
        if inner.startswith("/"):
            name = inner[1:].strip().lower()
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset(pos)}")
            open_tag, start, template = stack.pop()
            if name != open_tag:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {byte_offset(pos)}, expected "</{open_tag}>", '
                    f'found "</{name}>"'
                )
            length = plain_len - start
            if template and length > 0:
                entities.append({**template, "offset": start, "length": length})
            pos = end + 1
            continue
        m = re.match(r"([a-zA-Z][a-zA-Z0-9-]*)", inner)
        name = m.group(1).lower() if m else ""
        if name not in _SIMPLE_TAGS and name not in _OTHER_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset(pos)}')
        attrs = {
            a.group(1).lower(): html.unescape(a.group(2) or a.group(3) or a.group(4) or "")
            for a in _ATTR_RE.finditer(inner[len(name) :].rstrip("/"))
            if a.group(1)
        }
        template = {}
        if name in _SIMPLE_TAGS:
            template = {"type": _SIMPLE_TAGS[name]}
            if name == "code" and stack and stack[-1][0] == "pre" and "class" in attrs:
                # <pre><code class="language-python"> sets the language of the enclosing pre block.
                stack[-1][2]["language"] = attrs["class"].removeprefix("language-")
                template = {}
        elif name == "a":
            href = attrs.get("href", "")
            user = re.fullmatch(r"tg://user\?id=(\d+)", href)
            if user:
                template = {"type": "text_mention", "user": {"id": int(user.group(1))}}
            elif href:
                template = {"type": "text_link", "url": href}
        elif name == "span":
            if attrs.get("class") != "tg-spoiler":
                raise HtmlParseError(f'Unsupported start tag "span" at byte offset {byte_offset(pos)}')
            template = {"type": "spoiler"}
        elif name == "blockquote":
            template = {"type": "expandable_blockquote" if "expandable" in attrs else "blockquote"}
        elif name == "tg-emoji":
            template = {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
        stack.append((name, plain_len, template))
        pos = end + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities
