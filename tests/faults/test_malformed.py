"""Random and malformed updates (hypothesis) through the inbox and the real handlers: none may fail, and a
woman who writes afterwards is answered as usual."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot.app import inbox_handler
from bot.inbox import HandlingFailedError
from tests.faults.conftest import SCALE
from tests.harness import BotHarness

PEOPLE = 12  # few, so some get far into the onboarding
USERS = [700_000_001 + n for n in range(PEOPLE)]  # the stand-in's first accounts, made first in the test
PREFIXES = [
    "lang:set:",
    "lang:page:",
    "intro:",
    "consent:",
    "topic:",
    "ci:",
    "offer:",
    "tr:",
    "bm:",
    "route:",
    "switch:",
    "end:",
    "",
]
texts = st.text(max_size=4096) | st.sampled_from(
    [
        "/start",
        "/stop",
        "/help",
        "/mydata",
        "/language",
        "/end",
        "/switch",
        "/translate",
        "8220",
        "yes",
        "/start x",
    ]
)
unknown_fields = st.dictionaries(
    st.from_regex(r"[a-z_]{3,12}", fullmatch=True), st.integers() | st.text(max_size=8), max_size=2
)


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    user_id = draw(st.sampled_from(USERS))
    language = draw(st.sampled_from([None, "en", "ar", "so", "da", "xx", "zh-hans"]))
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": draw(st.text(min_size=1, max_size=20)),
    }
    if language:
        user["language_code"] = language
    chat_type = draw(st.sampled_from(["private", "private", "private", "group", "supergroup", "channel"]))
    chat = {"id": user_id if chat_type == "private" else -1_000_000 - user_id, "type": chat_type}
    message: dict[str, Any] = {
        "message_id": draw(st.integers(1, 10_000)),
        "date": 1_700_000_000,
        "chat": chat,
    }
    if chat_type != "channel":
        message["from"] = user
    body = draw(
        st.sampled_from(["text", "voice", "sticker", "location", "contact", "poll_answer_ish", "none"])
    )
    if body == "text":
        message["text"] = draw(texts)
    elif body == "voice":
        message["voice"] = {"file_id": "v1", "file_unique_id": "u1", "duration": draw(st.integers(0, 600))}
    elif body == "sticker":
        message["sticker"] = {
            "file_id": "s1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    elif body == "location":
        message["location"] = {"latitude": draw(st.floats(-90, 90)), "longitude": draw(st.floats(-180, 180))}
    elif body == "contact":
        message["contact"] = {"phone_number": "+4512345678", "first_name": "X"}
    elif body == "poll_answer_ish":
        message["dice"] = {"emoji": "🎲", "value": 3}
    message.update(draw(unknown_fields))
    kind = draw(
        st.sampled_from(
            [
                "message",
                "message",
                "edited_message",
                "callback_query",
                "channel_post",
                "my_chat_member",
                "something_new",
            ]
        )
    )
    if kind == "callback_query":  # pressed through the stand-in, which gives it a real query id
        data = (draw(st.sampled_from(PREFIXES)) + draw(st.text(max_size=40))).encode()[:64]
        return {
            "press": {
                "user_id": user_id,
                "data": data.decode(errors="ignore"),
                "message_id": draw(st.none() | st.integers(1, 60)),
            }
        }
    if kind == "my_chat_member":
        member = {"user": {"id": 123456, "is_bot": True, "first_name": "Bydelsmor"}}
        return {
            kind: {
                "chat": chat,
                "from": user,
                "date": 1_700_000_000,
                "old_chat_member": {**member, "status": "member"},
                "new_chat_member": {**member, "status": draw(st.sampled_from(["kicked", "member"]))},
            }
        }
    if kind == "something_new":
        return {kind: draw(unknown_fields)}
    return {kind: message}


def generate(count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(updates())
    def collect(update: dict[str, Any]) -> None:
        found.append(update)

    collect()
    return found


async def test_random_and_malformed_updates_are_all_handled(bot: BotHarness) -> None:
    inbox = bot.services.inbox
    handle = inbox_handler(bot.application)
    failures: list[str] = []

    async def counting(update: dict[str, Any]) -> None:
        try:
            await handle(update)
        except HandlingFailedError as error:
            failures.append(error.error_class)
            raise

    assert [bot.standin.add_user(first_name=f"P{n}", language_code="en") for n in range(PEOPLE)] == USERS
    generated = generate(SCALE.malformed)
    for number, update in enumerate(generated, start=1):
        if "press" in update:
            press = update["press"]
            await bot.standin.forge_button_press(
                press["user_id"], press["data"], message_id=press["message_id"]
            )
            [update] = bot.standin.drain_updates()
        else:
            update = {"update_id": 900_000_000 + number, **update}
        await inbox.receive(update)
        while await inbox.handle_next(counting):
            pass
    woman = bot.phone(language_code="en")
    answer = await woman.send("/start")
    print(f"\nreliability: {len(generated)} random updates: {len(failures)} unhandled exceptions")
    assert failures == []
    assert answer and "Shall we write in English?" in (answer[0].text or "")
