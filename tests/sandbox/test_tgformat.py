"""Telegram HTML parsing and entity offsets (UTF-16, like Telegram)."""

from __future__ import annotations

import pytest

from sandbox.tgformat import HtmlParseError, command_entities, parse_html


def test_html_to_plain_text_and_entities() -> None:
    plain, entities = parse_html('😀 <b>Hej</b> &amp; <a href="https://x.dk">link</a> &lt;3')
    assert plain == "😀 Hej & link <3"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 3},  # the emoji counts as two UTF-16 units
        {"type": "text_link", "url": "https://x.dk", "offset": 9, "length": 4},
    ]


def test_pre_with_language_and_spoiler() -> None:
    plain, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>'
    )
    assert plain == "x = 1s"
    assert {"type": "pre", "language": "python", "offset": 0, "length": 5} in entities
    assert {"type": "spoiler", "offset": 5, "length": 1} in entities


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", "Unmatched end tag"),
        ("<p>x</p>", 'Unsupported start tag "p"'),
        ("a < b", "Can't find end of the tag"),
        ("1 < 2 > 0", 'Unsupported start tag ""'),
        ("<b", "Can't find end of the tag"),
    ],
)
def test_invalid_html(text: str, message: str) -> None:
    with pytest.raises(HtmlParseError, match=message):
        parse_html(text)


def test_command_entities() -> None:
    assert command_entities("/start abc") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/start@BydelsmorSandboxBot") == [
        {"type": "bot_command", "offset": 0, "length": 26}
    ]
    assert command_entities("a/b and http://x.dk/path") == []
