"""Every page and form of the dashboard, as a coordinator uses it, and what she must not see."""

from __future__ import annotations

import asyncio
import csv
import io
import re

import httpx
from sqlalchemy import select

from bot import admin
from bot.coordinator_screens import poster_line
from bot.i18n import LOCALES, texts
from storage.models import Alert, AuditEntry, Checkin, HelpRequest, Invite, Match, Offer, Person, Volunteer
from tests.conftest import Clock
from tests.handlers.dashboard.conftest import sign_in, talked
from tests.handlers.test_matching import NOW, bydelsmor, set_up_group, woman_asks
from tests.harness import BotHarness, Phone


async def audit_rows(bot: BotHarness) -> list[tuple[str, str, str]]:
    async with bot.services.db.transaction() as session:
        rows = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        return [(r.action, r.subject, r.detail) for r in rows]


async def other_group(bot: BotHarness) -> Phone:
    """Vollsmose in Odense, with its own coordinator."""
    await bot.services.groups.add_group(name="Bydelsmødre Vollsmose", postcodes="5220,5240", now=NOW)
    coordinator = bot.phone(language_code="da", first_name="Sara")
    await bot.services.groups.add_coordinator(
        telegram_id=coordinator.user_id, group="Bydelsmødre Vollsmose", admin=False, locale="en", now=NOW
    )
    return coordinator


async def test_the_overview_shows_waiting_offers_matches_capacity_and_alerts(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await woman_asks(bot, language="so")  # a second woman: Hodan, who speaks Somali, is asked
    clock.advance(minutes=30)
    await sign_in(client, scene.coordinator)
    page = (await client.get("/")).text
    assert "Women waiting" in page and "asked: Hodan" in page and "30 minutes" in page
    assert "Open offers" in page and "Hodan was asked" in page
    assert "#1 Brabrand" in page  # the active match
    assert "Everyone has room." in page

    await scene.hodan.send("/pause")
    await scene.hodan.press("1 week")
    assert "Hodan: paused until March 9, 2026" in (await client.get("/")).text


async def test_a_conversation_log_in_time_order_with_voice_and_check_ins_and_each_view_audited(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await sign_in(client, scene.coordinator)
    page = (await client.get("/matches/1")).text
    first = page.index("Hello, I got a letter from the kommune")
    second = page.index("Send me a photo of it, then we can read it together")
    voice = page.index('<audio controls preload="none" src="/media/log/3"')
    assert first < second < voice
    assert "Better since the last talk?" in page and "<strong>Better</strong>" in page
    assert "You are reading a private conversation." in page
    await client.get("/matches/1")
    assert [a for a in await audit_rows(bot) if a[0] == "view_log"] == [("view_log", "match:1", "")] * 2

    played = await client.get("/media/log/3")
    assert played.status_code == 200 and played.headers["content-type"] == "audio/ogg"
    assert played.content == b"OggS-voice"  # what she recorded, fetched from Telegram by its file id
    assert ("view_media", "match:1", "log:3") in await audit_rows(bot)
    assert (await client.get("/media/log/1")).status_code == 404  # a text has no file


async def test_another_groups_women_matches_logs_and_bydelsmoedre_are_404(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    await talked(bot, clock)
    sara = await other_group(bot)
    csrf = await sign_in(client, sara)
    for path in ("/matches/1", "/requests/1", "/media/log/3", "/requests/1/erase", "/groups/1/poster"):
        refused = await client.get(path)
        assert refused.status_code == 404, path
        assert "There is nothing here, or it is not in your groups." in refused.text
        assert "kommune" not in refused.text
    for path in ("/matches/999", "/requests/999", "/media/log/999"):
        assert (await client.get(path)).status_code == 404  # the same answer as an id that does not exist
    for path in (
        "/matches/1/end",
        "/matches/1/reassign",
        "/requests/1/erase",
        "/bydelsmoedre/1/deactivate",
        "/alerts/1/resolve",
        "/groups/1/invite",
    ):
        assert (await client.post(path, data={"csrf": csrf})).status_code == 404, path
    overview = (await client.get("/")).text
    assert "#1 Brabrand" not in overview and "Hodan" not in (await client.get("/bydelsmoedre")).text
    async with bot.services.db.transaction() as session:
        [match] = (await session.execute(select(Match))).scalars()
        hodan = (await session.execute(select(Volunteer))).scalars().one()
    assert match.status == "active" and hodan.active  # nothing changed
    assert [a for a, _, _ in await audit_rows(bot) if a == "view_log"] == []


async def test_manual_matching_shows_reasons_and_sends_the_chosen_offer(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    fadumo = await bydelsmor(bot, "Fadumo", "so", "8900")
    await bydelsmor(bot, "Layla", "ar", "8220")
    await woman_asks(bot)  # Hodan, next door, is asked by the bot
    csrf = await sign_in(client, coordinator)
    page = (await client.get("/requests/1")).text
    assert "Hodan has been asked" in page
    assert "Fadumo" in page and "speaks Somali" in page and "34.4 km away" in page
    assert "in her local group" in page and "0/3 women this month" in page
    assert "Hodan: already asked, or not with her again" in page
    assert "1 Bydelsmødre do not speak her language." in page

    fadumo_id = await volunteer_id(bot, "Fadumo")
    sent = await client.post("/requests/1/offer", data={"csrf": csrf, "volunteer_id": str(fadumo_id)})
    assert sent.status_code == 303 and sent.headers["location"] == "/requests/1?done=offer_sent"
    await bot.send_outbox()
    assert "A woman would like to talk with a Bydelsmor." in (bot.inbox(fadumo.user_id)[-1].text or "")
    assert "no longer" in (bot.inbox(hodan.user_id)[-1].text or "")
    async with bot.services.db.transaction() as session:
        offers = [
            (o.volunteer_id, o.status, o.reasons[0]) for o in (await session.execute(select(Offer))).scalars()
        ]
    assert offers[0][1] == "withdrawn"
    assert offers[1] == (fadumo_id, "pending", ["chosen_by_coordinator", "Mette"])
    assert ("send_offer", "request:1", f"volunteer:{fadumo_id}") in await audit_rows(bot)
    after = (await client.get("/requests/1?done=offer_sent")).text
    assert "The offer was sent." in after and "chosen by a coordinator" in after

    layla = await client.post("/requests/1/offer", data={"csrf": csrf, "volunteer_id": "3"})
    assert layla.headers["location"] == "/requests/1?done=not_a_candidate"  # she does not speak Somali


async def test_ending_and_reassigning_tell_both_and_find_another_bydelsmor(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    ayaan = await bydelsmor(bot, "Ayaan", "en", "8210")
    csrf = await sign_in(client, scene.coordinator)
    moved = await client.post("/matches/1/reassign", data={"csrf": csrf})
    assert moved.status_code == 303 and moved.headers["location"] == "/requests/2?done=reassigned"
    await bot.send_outbox()
    assert "Your coordinator has ended the talks with #1 Brabrand." in (
        bot.inbox(scene.hodan.user_id)[-1].text or ""
    )
    told = bot.inbox(scene.woman.user_id)[-1].text or ""
    assert "The coordinator of your local group has ended your talks with your Bydelsmor." in told
    assert "We are now looking for another Bydelsmor for you." in told
    assert await woman_final_checkins(bot) == []  # her talks go on with someone else: no "how did it go?"
    assert "A woman would like to talk with a Bydelsmor." in (bot.inbox(ayaan.user_id)[-1].text or "")
    async with bot.services.db.transaction() as session:
        match = await session.get(Match, 1)
        again = await session.get(HelpRequest, 2)
    assert match is not None and (match.status, match.ended_by, match.end_reason) == (
        "ended",
        "coordinator",
        "reassigned",
    )
    assert again is not None and again.status == "waiting" and again.not_with == [1]
    assert (
        (await client.post("/matches/1/end", data={"csrf": csrf}))
        .headers["location"]
        .endswith("done=already_ended")
    )
    page = (await client.get("/matches/1")).text
    assert "ended by a coordinator, who looked for another Bydelsmor" in page
    assert "End the talks" not in page


async def test_ending_talks(bot: BotHarness, client: httpx.AsyncClient, clock: Clock) -> None:
    scene = await talked(bot, clock)
    csrf = await sign_in(client, scene.coordinator)
    ended = await client.post("/matches/1/end", data={"csrf": csrf})
    assert ended.headers["location"] == "/matches/1?done=match_ended"
    await bot.send_outbox()
    assert "Your talks with your Bydelsmor have ended." in (bot.inbox(scene.woman.user_id)[-1].text or "")
    assert "Your coordinator has ended the talks with #1 Brabrand." in (
        bot.inbox(scene.hodan.user_id)[-1].text or ""
    )
    assert ("end_match", "match:1", "") in await audit_rows(bot)
    assert len(await woman_final_checkins(bot)) == 1  # she is asked once how it went


async def test_a_double_click_on_reassign_reassigns_once(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await bydelsmor(bot, "Ayaan", "en", "8210")
    csrf = await sign_in(client, scene.coordinator)
    first, second = await asyncio.gather(
        client.post("/matches/1/reassign", data={"csrf": csrf}),
        client.post("/matches/1/reassign", data={"csrf": csrf}),
    )
    assert sorted([first.headers["location"], second.headers["location"]]) == [
        "/matches/1?done=already_ended",
        "/requests/2?done=reassigned",
    ]
    async with bot.services.db.transaction() as session:
        assert len(list((await session.execute(select(HelpRequest))).scalars())) == 2
        assert (
            len(list((await session.execute(select(Offer).where(Offer.status == "pending"))).scalars())) == 1
        )


async def test_pause_resume_deactivate_and_reactivate_a_bydelsmor(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    csrf = await sign_in(client, scene.coordinator)
    page = (await client.get("/bydelsmoedre")).text
    assert "Hodan" in page and "Somali, English" in page and "8220 Brabrand" in page and "1 of 3" in page
    assert "1 talks going on" in page and "can be asked" in page

    paused = await client.post("/bydelsmoedre/1/pause", data={"csrf": csrf, "until": "2026-03-20"})
    assert paused.headers["location"] == "/bydelsmoedre?done=paused"
    await bot.send_outbox()
    assert "Your coordinator has paused new requests for you until March 20, 2026." in (
        bot.inbox(scene.hodan.user_id)[-1].text or ""
    )
    assert "paused until March 20, 2026" in (await client.get("/bydelsmoedre")).text
    past = await client.post("/bydelsmoedre/1/pause", data={"csrf": csrf, "until": "2020-01-01"})
    assert past.headers["location"].endswith("done=date_in_past")
    nonsense = await client.post("/bydelsmoedre/1/pause", data={"csrf": csrf, "until": "soon"})
    assert nonsense.headers["location"].endswith("done=date_in_past")

    await client.post("/bydelsmoedre/1/resume", data={"csrf": csrf})
    await client.post("/bydelsmoedre/1/deactivate", data={"csrf": csrf})
    await bot.send_outbox()
    assert "Your coordinator has stopped new requests for you." in (
        bot.inbox(scene.hodan.user_id)[-1].text or ""
    )
    async with bot.services.db.transaction() as session:
        hodan = await session.get(Volunteer, 1)
    assert hodan is not None and hodan.paused_until is None and not hodan.active
    assert "deactivated" in (await client.get("/bydelsmoedre")).text
    await client.post("/bydelsmoedre/1/reactivate", data={"csrf": csrf})
    await bot.send_outbox()
    assert "Your coordinator has made you active again." in (bot.inbox(scene.hodan.user_id)[-1].text or "")
    actions = [a for a, _, _ in await audit_rows(bot)]
    assert actions[-4:] == ["pause", "resume", "deactivate", "reactivate"]


async def test_invites_and_a_poster_in_every_language(bot: BotHarness, client: httpx.AsyncClient) -> None:
    coordinator = await set_up_group(bot)
    csrf = await sign_in(client, coordinator)
    made = await client.post("/groups/1/invite", data={"csrf": csrf})
    assert made.status_code == 200
    assert re.search(r"https://t\.me/\w+\?start=inv-", made.text) or "https://t.me/" in made.text
    assert "<svg" in made.text
    async with bot.services.db.transaction() as session:
        assert len(list((await session.execute(select(Invite))).scalars())) == 1
    poster = (await client.get("/groups/1/poster")).text
    assert "?start=bydelsmodre-gellerup" in poster and "<svg" in poster
    for locale in LOCALES:
        line = poster_line(texts(locale.code))
        assert line.replace("'", "&#39;") in poster, locale.code
    assert 'lang="ar" dir="rtl"' in poster and 'lang="da" dir="ltr"' in poster


async def test_outcomes_as_charts_with_the_2015_lines_too_few_rule_and_csv(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    csrf = await sign_in(client, scene.coordinator)
    assert csrf
    page = (await client.get("/outcomes")).text
    assert page.count("<svg") == 7
    assert "2015 evaluation: 89%" in page  # the dashed line for "better"
    assert "Mar 2026" in page and "too few to show" in page
    assert "1" in page
    download = await client.get("/outcomes.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    better = [r for r in rows if r["measure"] == "woman_better" and r["month"] == "2026-03"]
    assert better == [
        {
            "month": "2026-03",
            "group": "all",
            "language": "all",
            "measure": "woman_better",
            "share": "too few to show",
            "positive": "",
            "n": "1",
            "evaluation_2015": "0.89",
        }
    ]
    assert ("download_csv", "", "group=all language=all") in await audit_rows(bot)


async def test_five_answers_draw_a_point(bot: BotHarness, client: httpx.AsyncClient, clock: Clock) -> None:
    coordinator = await set_up_group(bot)
    women = []
    for index in range(5):
        helper = await bydelsmor(bot, f"Hodan{index}", "en", "8220")
        women.append(await woman_asks(bot, language="en"))
        await helper.press("Yes, I will talk with her")
    clock.advance(seconds=2)
    await bot.tick()
    for number, woman in enumerate(women):
        await woman.press("Better" if number < 4 else "Worse")
    await sign_in(client, coordinator)
    page = (await client.get("/outcomes?language=en")).text
    assert '<option value="en" selected>' in page
    assert "Mar 2026: 80% (n=5)" in page  # a point on the chart, with its count
    assert "80" in page and "(n=5)" in page
    rows = list(csv.DictReader(io.StringIO((await client.get("/outcomes.csv?language=en")).text)))
    better = next(r for r in rows if r["measure"] == "woman_better" and r["month"] == "2026-03")
    assert (better["share"], better["positive"], better["n"], better["language"]) == ("0.800", "4", "5", "en")


async def test_erasing_a_woman_on_request(bot: BotHarness, client: httpx.AsyncClient, clock: Clock) -> None:
    scene = await talked(bot, clock)
    csrf = await sign_in(client, scene.coordinator)
    confirm = (await client.get("/requests/1/erase")).text
    assert "Erase everything about this woman?" in confirm
    erased = await client.post("/requests/1/erase", data={"csrf": csrf})
    assert erased.headers["location"] == "/?done=erased"
    assert "Everything about this woman has been erased." in (await client.get("/?done=erased")).text
    async with bot.services.db.transaction() as session:
        assert list((await session.execute(select(Person))).scalars()) == []
        assert list((await session.execute(select(Match))).scalars()) == []
    await bot.send_outbox()
    assert "#1 Brabrand has ended the talks." in (bot.inbox(scene.hodan.user_id)[-1].text or "")
    assert ("erase", "request:1", "person:1") in await audit_rows(bot)
    assert (await client.get("/matches/1")).status_code == 404


async def test_alerts_are_shown_and_can_be_marked_as_dealt_with(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await scene.woman.send("He hits me, I am afraid")
    csrf = await sign_in(client, scene.coordinator)
    page = (await client.get("/")).text
    assert "Violence or threats at home" in page and "#1 Brabrand" in page
    async with bot.services.db.transaction() as session:
        alert = (await session.execute(select(Alert))).scalars().first()
    assert alert is not None
    done = await client.post(f"/alerts/{alert.id}/resolve", data={"csrf": csrf})
    assert done.headers["location"] == "/?done=alert_resolved"
    assert "No alerts." in (await client.get("/")).text
    assert ("resolve_alert", f"alert:{alert.id}", "safety") in await audit_rows(bot)


async def test_only_national_admins_read_the_audit_log(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    scene = await talked(bot, clock)
    await sign_in(client, scene.coordinator)
    await client.get("/matches/1")
    assert (await client.get("/audit")).status_code == 404
    assert "Audit log" not in (await client.get("/")).text

    national = bot.phone(language_code="da", first_name="Nadia")
    await bot.services.groups.add_coordinator(
        telegram_id=national.user_id, group=None, admin=True, locale="en", now=NOW
    )
    client.cookies.clear()
    await sign_in(client, national)
    audit = (await client.get("/audit")).text
    assert "Mette" in audit and "read a conversation log" in audit and "match:1" in audit
    assert "kommune" not in audit  # ids only, never what was said
    assert "#1 Brabrand" in (await client.get("/matches")).text  # admins see every group


async def test_a_waiting_list_of_women_and_how_long_they_wait(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    coordinator = await set_up_group(bot)
    await woman_asks(bot)  # nobody speaks Somali: she waits
    clock.advance(hours=26)
    await sign_in(client, coordinator)
    page = (await client.get("/waiting")).text
    assert "#1 8220 Brabrand" in page and "Somali" in page and "📄 Letters and authorities" in page
    assert "26 hours" in page and "nobody free" in page
    detail = (await client.get("/requests/1")).text
    assert "Nobody can take her right now." in detail
    assert ("view_request", "request:1", "") in await audit_rows(bot)


async def test_another_groups_bydelsmoedre_are_counted_not_named_nor_offered(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    await other_group(bot)
    outsider = bot.phone(language_code="en", first_name="Amal")
    await admin.add_volunteer(
        bot.services, telegram_id=outsider.user_id, name="Amal", languages="so", postcode="8220",
        capacity=3, locale="en", now=NOW, group="Bydelsmødre Vollsmose",
    )  # fmt: skip
    await bydelsmor(bot, "Hodan", "so", "8210")
    await woman_asks(bot)
    csrf = await sign_in(client, coordinator)
    page = (await client.get("/requests/1")).text
    assert "Amal" not in page and "Bydelsmødre Vollsmose" not in page
    assert "1 more in other groups could take her." in page
    amal = await volunteer_id(bot, "Amal")
    refused = await client.post("/requests/1/offer", data={"csrf": csrf, "volunteer_id": str(amal)})
    assert refused.headers["location"].endswith("done=not_a_candidate")
    await bot.send_outbox()
    assert not any("would like to talk" in (m.text or "") for m in bot.inbox(outsider.user_id))


async def test_pausing_a_bydelsmor_who_was_just_asked_passes_the_offer_on_and_tells_her(
    bot: BotHarness, client: httpx.AsyncClient
) -> None:
    coordinator = await set_up_group(bot)
    hodan = await bydelsmor(bot, "Hodan", "so", "8220")
    fadumo = await bydelsmor(bot, "Fadumo", "so", "8210")
    await woman_asks(bot)
    csrf = await sign_in(client, coordinator)
    await client.post("/bydelsmoedre/1/pause", data={"csrf": csrf, "until": "2026-03-20"})
    await bot.send_outbox()
    hodans = [m.text or "" for m in bot.inbox(hodan.user_id)]
    assert "This request is no longer open. Thank you!" in hodans
    assert "A woman would like to talk with a Bydelsmor." in (bot.inbox(fadumo.user_id)[-1].text or "")
    offers = (await client.get("/requests/1")).text
    assert "Hodan · withdrawn" in offers


async def test_a_small_language_is_not_revealed_by_the_monthly_total(
    bot: BotHarness, client: httpx.AsyncClient, clock: Clock
) -> None:
    coordinator = await set_up_group(bot)
    women = []
    for index, language in enumerate(["en"] * 5 + ["so"]):
        helper = await bydelsmor(bot, f"Hodan{index}", language, "8220")
        women.append(await woman_asks(bot, language=language))
        await helper.press("Yes, I will talk with her")
    clock.advance(seconds=2)
    await bot.tick()
    for woman in women:
        await woman.press_data(woman.last.buttons()[0].callback_data or "")  # "Better" in her language
    await sign_in(client, coordinator)
    rows = list(csv.DictReader(io.StringIO((await client.get("/outcomes.csv")).text)))
    total = next(r for r in rows if r["measure"] == "woman_better" and r["month"] == "2026-03")
    # English alone (n=5) is shown; with the total (n=6) beside it, Somali's one answer could be worked out.
    assert (total["share"], total["n"]) == ("too few to show", "6")
    english = list(csv.DictReader(io.StringIO((await client.get("/outcomes.csv?language=en")).text)))
    shown = next(r for r in english if r["measure"] == "woman_better" and r["month"] == "2026-03")
    assert (shown["share"], shown["n"]) == ("1.000", "5")


async def woman_final_checkins(bot: BotHarness) -> list[int]:
    async with bot.services.db.transaction() as session:
        query = select(Checkin.id).where(Checkin.audience == "woman", Checkin.kind == "final")
        return list((await session.execute(query)).scalars())


async def volunteer_id(bot: BotHarness, name: str) -> int:
    async with bot.services.db.transaction() as session:
        return (
            await session.execute(select(Volunteer.id).where(Volunteer.display_name == name))
        ).scalar_one()
