from sqlalchemy import select, text

from storage import people
from storage.db import Database
from storage.models import HelpRequest, Person
from tests.conftest import Clock


async def test_a_person_and_her_request_are_stored_and_erased_together(
    database: Database, clock: Clock
) -> None:
    async with database.transaction() as session:
        person = await people.add_person(
            session,
            telegram_user_id=7,
            locale="so",
            step="postcode",
            consent="given",
            referral=None,
            now=clock(),
        )
        request = await people.add_request(
            session, person_id=person.id, status="draft", spoken_language="so", now=clock()
        )
        request.note_encrypted = database.cipher.encrypt("Waxaan u baahanahay caawimo")
        person_id = person.id

    async with database.transaction() as session:
        found = await people.find_person(session, telegram_user_id=7)
        assert found is not None
        assert found.created_at == clock()  # an aware UTC time comes back, on every database
        current = await people.current_request(session, person_id=person_id)
        assert current is not None
        assert current.note_encrypted is not None
        assert database.cipher.decrypt(current.note_encrypted) == "Waxaan u baahanahay caawimo"

    async with database.transaction() as session:
        await people.delete_person(session, person_id=person_id)

    async with database.transaction() as session:
        assert (await session.execute(select(Person))).first() is None
        assert (await session.execute(select(HelpRequest))).first() is None


async def test_free_text_is_not_readable_in_the_database(database: Database, clock: Clock) -> None:
    async with database.transaction() as session:
        person = await people.add_person(
            session, telegram_user_id=8, locale="ar", step="note", consent="given", referral=None, now=clock()
        )
        request = await people.add_request(
            session, person_id=person.id, status="draft", spoken_language="ar", now=clock()
        )
        request.note_encrypted = database.cipher.encrypt("ابني يحتاج مساعدة في المدرسة")

    async with database.transaction() as session:
        raw = (await session.execute(text("SELECT note_encrypted FROM help_requests"))).scalar_one()
    assert "ابني".encode() not in bytes(raw)
