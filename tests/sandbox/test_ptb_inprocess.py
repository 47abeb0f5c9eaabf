"""python-telegram-bot talks to the stand-in in-process, and gets Telegram's answers."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from sandbox.sample_voice import SAMPLE_VOICE_OGG
from sandbox.standin import StandIn


async def test_get_me(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "BydelsmorSandboxBot" and me.first_name == "Bydelsmor"
    assert me.id == 123456


async def test_send_with_inline_keyboard_then_press_edit_and_answer(
    standin: StandIn, bot: telegram.Bot
) -> None:
    amina = standin.add_user(first_name="Amina", language_code="ar")
    await standin.send_text(amina, "/start")
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("العربية", callback_data="lang:ar"),
                InlineKeyboardButton("Dansk", callback_data="lang:da"),
            ]
        ]
    )
    sent = await bot.send_message(amina, "<b>مرحبا</b> Amina", parse_mode="HTML", reply_markup=markup)
    assert sent.chat.id == amina and sent.from_user is not None and sent.from_user.is_bot
    assert sent.text == "مرحبا Amina"  # Telegram returns the text without tags, plus entities
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 5
    assert sent.message_id == 2  # the user's /start was message 1 of this chat

    shown = standin.last_bot_message(amina)
    assert shown.text == "<b>مرحبا</b> Amina" and shown.parse_mode == "HTML"
    assert shown.plain_text == "مرحبا Amina"
    assert [b.callback_data for b in shown.buttons()] == ["lang:ar", "lang:da"]

    standin.drain_updates()
    update = await standin.press_button(amina, sent.message_id, "lang:da")
    query = telegram.Update.de_json(update, bot).callback_query
    assert query is not None and query.data == "lang:da" and query.message is not None
    assert query.message.message_id == sent.message_id

    assert await bot.answer_callback_query(query.id, text="Dansk valgt")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)
    assert standin.callback_answers(amina)[-1]["text"] == "Dansk valgt"

    edited = await bot.edit_message_text("Velkommen!", chat_id=amina, message_id=sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.edit_date is not None
    after = standin.last_bot_message(amina)
    assert after.text == "Velkommen!" and after.edited
    assert (
        after.inline_keyboard is None
    )  # editing text without reply_markup drops the keyboard, as on Telegram
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Velkommen!", chat_id=amina, message_id=sent.message_id)
    await bot.edit_message_reply_markup(amina, sent.message_id, reply_markup=markup)
    assert standin.last_bot_message(amina).inline_keyboard is not None

    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(amina, "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x")]]))


async def test_reply_keyboard_with_location_button_and_removal(standin: StandIn, bot: telegram.Bot) -> None:
    fatima = standin.add_user(first_name="Fatima", language_code="so")
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Del placering", request_location=True)]], one_time_keyboard=True
    )
    await bot.send_message(fatima, "Hvor bor du?", reply_markup=keyboard)
    assert standin.last_bot_message(fatima).reply_keyboard is not None
    current = standin.current_reply_keyboard(fatima)
    assert current is not None and current["keyboard"][0][0]["request_location"] is True

    update = await standin.share_location(fatima, 56.1503, 10.1005)
    assert update["message"]["location"] == {"latitude": 56.1503, "longitude": 10.1005}
    assert standin.current_reply_keyboard(fatima) is None  # one_time_keyboard hides after use
    await bot.send_message(fatima, "Tak", reply_markup=telegram.ReplyKeyboardRemove())
    assert standin.last_bot_message(fatima).remove_keyboard
    assert [m.kind for m in standin.chat(fatima)] == ["text", "location", "text"]


async def test_copy_voice_note_hides_the_sender(standin: StandIn, bot: telegram.Bot) -> None:
    woman = standin.add_user(first_name="Leyla", language_code="tr")
    mother = standin.add_user(first_name="Ayse", language_code="tr")
    update = await standin.send_voice(woman, SAMPLE_VOICE_OGG, duration=3)
    original = update["message"]

    copied = await bot.copy_message(mother, from_chat_id=woman, message_id=original["message_id"])
    copy = standin.last_bot_message(mother)
    assert copy.message_id == copied.message_id and copy.kind == "voice"
    assert copy.file_id == original["voice"]["file_id"]
    assert copy.raw["from"]["is_bot"] and "forward_origin" not in copy.raw
    assert "Leyla" not in repr(copy.raw) and str(woman) not in repr(copy.raw)

    with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
        await bot.copy_message(mother, from_chat_id=woman, message_id=999)


async def test_set_my_commands_per_language(standin: StandIn, bot: telegram.Bot) -> None:
    await bot.set_my_commands([("start", "Start forfra"), ("help", "Hjælp")], language_code="da")
    await bot.set_my_commands([("start", "Start again")])
    assert standin.commands("da") == [
        {"command": "start", "description": "Start forfra"},
        {"command": "help", "description": "Hjælp"},
    ]
    assert standin.commands() == [{"command": "start", "description": "Start again"}]
    assert [c.command for c in await bot.get_my_commands(language_code="da")] == ["start", "help"]
    await bot.set_my_description("Find en bydelsmor", language_code="da")
    await bot.set_my_short_description("Bydelsmødre")
    assert standin.description("da") == "Find en bydelsmor" and standin.short_description() == "Bydelsmødre"
    assert (await bot.get_my_description("da")).description == "Find en bydelsmor"
    with pytest.raises(BadRequest, match=r"(?i)language code"):
        await bot.set_my_commands([("start", "Dest pê bike")], language_code="ckb")
    await bot.delete_my_commands(language_code="da")
    assert standin.commands("da") == []


async def test_get_updates_long_polls_until_a_user_writes(standin: StandIn, bot: telegram.Bot) -> None:
    user = standin.add_user(first_name="Mariam", language_code="ur")

    async def write_later() -> None:
        await asyncio.sleep(0.2)
        await standin.send_text(user, "/start ref42")

    writer = asyncio.create_task(write_later())
    loop = asyncio.get_running_loop()
    started = loop.time()
    updates = await bot.get_updates(timeout=5)
    await writer
    assert 0.15 < loop.time() - started < 2
    assert len(updates) == 1 and updates[0].message is not None
    message = updates[0].message
    assert message.text == "/start ref42" and message.from_user is not None
    assert message.from_user.language_code == "ur"
    assert message.entities[0].type == "bot_command" and (
        message.entities[0].offset,
        message.entities[0].length,
    ) == (0, 6)

    # Confirming with offset removes it; an empty poll with timeout=0 returns at once.
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()


async def test_blocked_user_raises_forbidden(standin: StandIn, bot: telegram.Bot) -> None:
    user = standin.add_user(first_name="Olena", language_code="uk")
    standin.block(user)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(user, "Hej")
    assert standin.drain_updates()[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(987654321, "Hej")


async def test_too_long_text_raises_bad_request(standin: StandIn, bot: telegram.Bot) -> None:
    user = standin.add_user(first_name="Sara")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(user, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(user, "<b>x</i>", parse_mode="HTML")
    call = standin.calls("sendMessage")[-1]
    assert not call.ok and call.error is not None and call.error.error_code == 400


async def test_media_upload_get_file_and_download(standin: StandIn, bot: telegram.Bot) -> None:
    user = standin.add_user(first_name="Hodan", language_code="so")
    sent = await bot.send_voice(user, SAMPLE_VOICE_OGG, duration=1, caption="Lyt")
    assert sent.voice is not None and sent.voice.mime_type == "audio/ogg"
    again = await bot.send_voice(user, sent.voice.file_id)  # re-send by file_id, as bots do
    assert again.voice is not None and again.voice.file_unique_id == sent.voice.file_unique_id
    file = await bot.get_file(sent.voice.file_id)
    assert file.file_path is not None and file.file_path.endswith(".oga") and "/voice/" in file.file_path
    assert bytes(await file.download_as_bytearray()) == SAMPLE_VOICE_OGG
    photo = await bot.send_photo(user, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x08")
    assert photo.photo[-1].width == 16 and photo.photo[-1].height == 8
    await bot.send_document(user, b"%PDF-1.4", filename="folder.pdf")
    await bot.send_location(user, 55.6948, 12.5503)
    await bot.send_chat_action(user, "typing")
    assert standin.chat_action(user) == "typing"
    kinds = [m.kind for m in standin.bot_messages(user)]
    assert kinds == ["voice", "voice", "photo", "document", "location"]
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_voice(user, "no-such-file-id")
    assert await bot.delete_message(user, sent.message_id)
    assert sent.message_id not in [m.message_id for m in standin.chat(user)]
