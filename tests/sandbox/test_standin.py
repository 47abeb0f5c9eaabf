"""The stand-in's own behaviour: users' updates, reading chats, webhooks off, rate limits."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sandbox.standin import SandboxUsageError, StandIn

TOKEN = "123456:SANDBOX-TOKEN"


async def call(standin: StandIn, method: str, **params: object) -> dict[str, object]:
    status, body = await standin.call(TOKEN, method, dict(params))
    assert status == 200, body
    return body


async def test_wrong_token_is_unauthorized(standin: StandIn) -> None:
    assert await standin.call("1:WRONG", "getMe", {}) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_unknown_and_unimplemented_methods(standin: StandIn) -> None:
    status, body = await standin.call(TOKEN, "getmE", {})
    assert status == 200 and body["ok"]
    assert (await standin.call(TOKEN, "fly", {}))[0] == 404
    status, body = await standin.call(TOKEN, "sendPoll", {"chat_id": 1, "question": "?", "options": "[]"})
    assert status == 400 and "sandbox does not implement sendPoll" in str(body["description"])


async def test_a_restarted_standin_never_reuses_an_update_id(tmp_path: Path) -> None:
    ids_file = tmp_path / "sandbox-update-ids"
    first = StandIn(token=TOKEN, update_ids_file=ids_file)
    amina = first.add_user(first_name="Amina", language_code="ar")
    before = [(await first.send_text(amina, f"{n}"))["update_id"] for n in range(3)]

    second = StandIn(token=TOKEN, update_ids_file=ids_file)  # `make run` stopped and started again
    hawa = second.add_user(first_name="Hawa", language_code=None)
    after = (await second.send_text(hawa, "hej"))["update_id"]

    assert after > max(before)
    assert sorted(before) == before


async def test_updates_have_increasing_ids_and_drain_removes_them(standin: StandIn) -> None:
    a = standin.add_user(first_name="Amina", language_code="ar")
    b = standin.add_user(first_name="Hawa", language_code=None)
    u1 = await standin.send_text(a, "مرحبا 😀 /help")
    u2 = await standin.send_sticker(b)
    u3 = await standin.send_photo(b, b"\xff\xd8\xff")
    assert u1["update_id"] < u2["update_id"] < u3["update_id"]
    # Entities count UTF-16 code units: the emoji is two.
    assert u1["message"]["entities"] == [{"type": "bot_command", "offset": 9, "length": 5}]
    assert "language_code" not in u2["message"]["from"]
    assert [u["update_id"] for u in standin.drain_updates()] == [
        u1["update_id"],
        u2["update_id"],
        u3["update_id"],
    ]
    assert standin.drain_updates() == []
    body = await call(standin, "getUpdates", timeout=0)
    assert body["result"] == []


async def test_edit_text_produces_edited_message(standin: StandIn) -> None:
    user = standin.add_user(first_name="Zainab", language_code="fa")
    sent = await standin.send_text(user, "سلام")
    update = await standin.edit_text(user, sent["message"]["message_id"], "سلام دوست")
    assert update["edited_message"]["text"] == "سلام دوست" and "edit_date" in update["edited_message"]
    assert standin.chat(user)[0].text == "سلام دوست" and standin.chat(user)[0].edited
    with pytest.raises(SandboxUsageError):
        await standin.edit_text(user, 99, "x")


async def test_press_button_errors_clearly(standin: StandIn) -> None:
    user = standin.add_user(first_name="Amal")
    body = await call(
        standin,
        "sendMessage",
        chat_id=user,
        text="Vælg",
        reply_markup={"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]},
    )
    message_id = body["result"]["message_id"]  # type: ignore[index]
    with pytest.raises(SandboxUsageError, match="no button with callback_data 'no'"):
        await standin.press_button(user, message_id, "no")
    assert standin.last_bot_message(user).callback_data_for("Ja") == "yes"
    with pytest.raises(SandboxUsageError):
        await standin.send_text(424242, "who am I")


async def test_last_bot_message_and_wait_for_bot_message(standin: StandIn) -> None:
    user = standin.add_user(first_name="Nour")
    with pytest.raises(AssertionError, match="no message"):
        standin.last_bot_message(user)
    await standin.send_text(user, "hej")
    after = standin.last_message_id(user)

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await call(
            standin, "sendMessage", chat_id=user, text="Hej Nour", reply_parameters={"message_id": after}
        )

    task = asyncio.create_task(reply_later())
    message = await standin.wait_for_bot_message(user, after=after, timeout=2)
    await task
    assert message.text == "Hej Nour" and message.reply_to_message_id == after
    with pytest.raises(TimeoutError):
        await standin.wait_for_bot_message(user, after=message.message_id, timeout=0.05)


async def test_user_who_never_started_cannot_be_written_to(standin: StandIn) -> None:
    user = standin.add_user(first_name="Yasmin", started=False)
    status, body = await standin.call(TOKEN, "sendMessage", {"chat_id": user, "text": "Hej"})
    assert status == 403 and "can't initiate conversation" in str(body["description"])
    await standin.send_text(user, "/start")
    await call(standin, "sendMessage", chat_id=user, text="Hej")


async def test_only_one_get_updates_at_a_time(standin: StandIn) -> None:
    first = asyncio.create_task(standin.call(TOKEN, "getUpdates", {"timeout": 5}))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(standin.call(TOKEN, "getUpdates", {"timeout": 0}))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in str(body["description"])
    assert (await second)[0] == 200


async def test_rate_limits_when_enforced() -> None:
    fake = StandIn(enforce_rate_limits=True)
    user = fake.add_user(first_name="Rahel")
    statuses = [
        (await fake.call(TOKEN, "sendMessage", {"chat_id": user, "text": f"{i}"}))[0] for i in range(5)
    ]
    assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429
    status, body = await fake.call(TOKEN, "sendMessage", {"chat_id": user, "text": "again"})
    assert status == 429 and body["parameters"] == {"retry_after": 1}
    # Unlimited by default.
    relaxed = StandIn()
    other = relaxed.add_user(first_name="Rahel")
    for i in range(10):
        assert (await relaxed.call(TOKEN, "sendMessage", {"chat_id": other, "text": f"{i}"}))[0] == 200


async def test_copy_caption_override_and_forward_reveals(standin: StandIn) -> None:
    woman = standin.add_user(first_name="Leyla")
    mother = standin.add_user(first_name="Ayse")
    photo = await standin.send_photo(woman, b"\xff\xd8\xff", caption="min have")
    mid = photo["message"]["message_id"]
    body = await call(
        standin, "copyMessage", chat_id=mother, from_chat_id=woman, message_id=mid, caption="Et foto"
    )
    copy = standin.last_bot_message(mother)
    assert copy.message_id == body["result"]["message_id"]  # type: ignore[index]
    assert copy.kind == "photo" and copy.caption == "Et foto"
    await call(standin, "forwardMessage", chat_id=mother, from_chat_id=woman, message_id=mid)
    assert standin.last_bot_message(mother).raw["forward_origin"]["sender_user"]["first_name"] == "Leyla"
