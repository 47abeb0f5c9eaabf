"""SQL statements per update, held to a budget: a change that adds statements to these paths fails here.

The gate looks her up once per update (bot.routing), and the use case her message is routed to finds her
rows there. Counted is what handling the update costs; the inbox's own bookkeeping (store the update, claim
it, mark it done, look for the next: four statements on every update, and whether its sender is known, a
fifth, once per getUpdates answer however many updates it holds) is counted apart. Lower a budget
when a change brings its count down; never raise one without saying why in the commit.
"""

from __future__ import annotations

from tests.handlers.test_matching import bydelsmor, matched_pair, set_up_group
from tests.harness import BotHarness, Phone

# The same on SQLite and PostgreSQL. The targets: a relayed text <= 6, an onboarding step <= 5, a
# button press <= 5.
RELAYED_TEXT = (4, 5)  # her look-up, her conversation (match, Bydelsmor, load and the language she asked
# help in, for the danger check, in one), the log, the outbox; then the sender: claim, mark sent, note the
# copy, and two empty claims
BYDELSMOR_TEXT = (6, 5)  # the same the other way
ONBOARDING_STEP = 5  # her postcode, the dearest step
BUTTON_PRESS = 3  # ticking a topic
INBOX_BOOKKEEPING = 5  # per update, whatever it is (in a burst, the 1st and 5th are shared by up to 100)


def is_inbox_bookkeeping(statement: str) -> bool:
    if statement.lstrip().startswith("SELECT people.telegram_user_id") and "UNION" in statement:
        return True  # is its sender known (storage.inbox.add_many)
    return statement.lstrip().startswith(("INSERT INTO inbox ", "SELECT inbox.", "UPDATE inbox "))


async def counted(bot: BotHarness, action: object) -> tuple[int, int]:
    """Statements to handle what `action` sent the bot, and then to send what it queued."""
    await action  # type: ignore[misc]
    with bot.counting_statements() as inline:
        await bot.process_pending(send=False)
    with bot.counting_statements() as outbox:
        await bot.send_outbox()
    handling = [statement for statement in inline if not is_inbox_bookkeeping(statement)]
    assert len(inline) - len(handling) == INBOX_BOOKKEEPING
    return len(handling), len(outbox)


async def at_postcode_question(bot: BotHarness) -> Phone:
    phone = bot.phone(language_code="en")
    await phone.send("/start")
    await phone.press("Yes, English")
    await phone.press("Continue")
    await phone.press("Yes, that is all right")
    return phone


async def test_a_relayed_text_keeps_to_its_statement_budget(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await woman.send("Hello")  # the first message also sends a label; the budget is for the usual one

    counts = await counted(bot, bot.standin.send_text(woman.user_id, "I need help with a letter"))

    assert bot.inbox(hodan.user_id)[-1].text == "I need help with a letter"
    assert counts == RELAYED_TEXT


async def test_a_bydelsmors_text_keeps_to_its_statement_budget(bot: BotHarness) -> None:
    await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so,en", "8220")
    woman = await matched_pair(bot, hodan)
    await woman.send("Hello")
    await hodan.send("Hello, I am Hodan")

    counts = await counted(bot, bot.standin.send_text(hodan.user_id, "Shall we meet on Tuesday?"))

    assert woman.last.text == "Shall we meet on Tuesday?"
    assert counts == BYDELSMOR_TEXT


async def test_an_onboarding_step_keeps_to_its_statement_budget(bot: BotHarness) -> None:
    phone = await at_postcode_question(bot)

    inline, _ = await counted(bot, bot.standin.send_text(phone.user_id, "8220"))

    assert phone.last.text is not None and "What would you like help with?" in phone.last.text
    assert inline == ONBOARDING_STEP


async def test_a_button_press_keeps_to_its_statement_budget(bot: BotHarness) -> None:
    phone = await at_postcode_question(bot)
    await phone.send("8220")
    topics = phone.last
    health = next(b.callback_data for b in topics.buttons() if "Health" in b.text)
    assert health is not None

    inline, _ = await counted(bot, bot.standin.press_button(phone.user_id, topics.message_id, health))

    assert "✅ 🩺 Health" in [b.text for b in phone.message(topics.message_id).buttons()]
    assert inline == BUTTON_PRESS
