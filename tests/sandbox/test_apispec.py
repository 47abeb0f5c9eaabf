"""ApiSpec refuses calls exactly where Telegram would."""

from __future__ import annotations

import json

import pytest

from sandbox.apispec import ApiSpec
from sandbox.standin import TelegramError


@pytest.fixture(scope="module")
def spec() -> ApiSpec:
    return ApiSpec.load()


def refusal(spec: ApiSpec, method: str, params: dict[str, object]) -> TelegramError:
    with pytest.raises(TelegramError) as caught:
        spec.validate(method, params)
    return caught.value


def keyboard(data: str) -> str:
    return json.dumps({"inline_keyboard": [[{"text": "Ja", "callback_data": data}]]})


def test_load_is_cached_and_knows_the_version(spec: ApiSpec) -> None:
    assert ApiSpec.load() is spec
    assert spec.version.startswith("Bot API 10.1")


def test_unknown_method_is_404(spec: ApiSpec) -> None:
    err = refusal(spec, "sendTelepathy", {"chat_id": 1})
    assert (err.error_code, err.description) == (404, "Not Found")


def test_method_names_are_case_insensitive(spec: ApiSpec) -> None:
    spec.validate("SENDMESSAGE", {"chat_id": 1, "text": "hej"})
    assert spec.method_name("sendmessage") == "sendMessage"


def test_missing_required_parameters(spec: ApiSpec) -> None:
    assert refusal(spec, "sendMessage", {"chat_id": 1}).description == "Bad Request: message text is empty"
    err = refusal(spec, "sendMessage", {"text": "hej"})
    assert (err.error_code, err.description) == (400, "Bad Request: chat_id is empty")
    assert "there is no voice in the request" in refusal(spec, "sendVoice", {"chat_id": 1}).description


def test_empty_text(spec: ApiSpec) -> None:
    assert refusal(spec, "sendMessage", {"chat_id": 1, "text": "   "}).description == (
        "Bad Request: message text is empty"
    )


def test_wrong_types(spec: ApiSpec) -> None:
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": {"not": "a string"}})
    assert err.error_code == 400 and err.description.startswith("Bad Request:")
    err = refusal(spec, "deleteMessage", {"chat_id": "1", "message_id": "seven"})
    assert err.error_code == 400 and "message_id" in err.description
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": "{not json"})
    assert err.description == "Bad Request: can't parse reply keyboard markup JSON object"
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": "x", "disable_notification": "maybe"})
    assert "disable_notification" in err.description
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": "no"}})
    assert err.description.startswith("Bad Request: can't parse reply keyboard markup")


def test_strings_from_forms_are_parsed(spec: ApiSpec) -> None:
    params = spec.normalize(
        "sendMessage",
        {"chat_id": "42", "text": "hej", "disable_notification": "true", "reply_markup": keyboard("a")},
    )
    assert params["chat_id"] == 42
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert spec.normalize("getUpdates", {"offset": "7", "allowed_updates": '["message"]'}) == {
        "offset": 7,
        "allowed_updates": ["message"],
    }


def test_text_and_caption_limits(spec: ApiSpec) -> None:
    spec.validate("sendMessage", {"chat_id": 1, "text": "a" * 4096})
    assert refusal(spec, "sendMessage", {"chat_id": 1, "text": "a" * 4097}).description == (
        "Bad Request: message is too long"
    )
    # HTML tags do not count, as on Telegram.
    spec.validate("sendMessage", {"chat_id": 1, "text": "<b>" + "a" * 4096 + "</b>", "parse_mode": "HTML"})
    err = refusal(spec, "sendVoice", {"chat_id": 1, "voice": "file-id", "caption": "c" * 1025})
    assert err.description == "Bad Request: message caption is too long"


def test_callback_data_must_be_1_to_64_bytes(spec: ApiSpec) -> None:
    spec.validate("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard("a" * 64)})
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard("a" * 65)})
    assert (err.error_code, err.description) == (400, "Bad Request: BUTTON_DATA_INVALID")
    arabic = "ب" * 33  # 33 characters, 66 bytes in UTF-8
    assert refusal(
        spec, "sendMessage", {"chat_id": 1, "text": "x", "reply_markup": keyboard(arabic)}
    ).description == ("Bad Request: BUTTON_DATA_INVALID")
    assert (
        "BUTTON_DATA_INVALID"
        in refusal(
            spec, "editMessageReplyMarkup", {"chat_id": 1, "message_id": 1, "reply_markup": keyboard("")}
        ).description
    )


def test_invalid_html_is_refused_like_telegram(spec: ApiSpec) -> None:
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": "<b>bold", "parse_mode": "HTML"})
    assert err.description.startswith("Bad Request: can't parse entities:")
    err = refusal(spec, "sendMessage", {"chat_id": 1, "text": "<div>x</div>", "parse_mode": "HTML"})
    assert 'Unsupported start tag "div"' in err.description


def test_valid_calls_are_accepted(spec: ApiSpec) -> None:
    spec.validate("getMe", {})
    spec.validate(
        "sendMessage",
        {
            "chat_id": 1,
            "text": "<b>Hej</b> &amp; velkommen",
            "parse_mode": "HTML",
            "reply_markup": {"keyboard": [[{"text": "Del placering", "request_location": True}]]},
            "reply_parameters": {"message_id": 3},
        },
    )
    spec.validate("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": {"remove_keyboard": True}})
    spec.validate(
        "setMyCommands", {"commands": [{"command": "start", "description": "Start"}], "language_code": "da"}
    )
    spec.validate("sendVoice", {"chat_id": 1}, files={"voice": ("v.ogg", b"OggS", "audio/ogg")})
    spec.validate("setMyCommands", {"commands": "[]", "scope": '{"type": "all_private_chats"}'})
