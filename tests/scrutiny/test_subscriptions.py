import pytest
from icalendar import Calendar

from scrutiny.subscriptions import subscription_key

pytestmark = pytest.mark.django_db


def personal_urls(client, user):
    client.force_login(user)
    page = client.get("/subscribe/")
    client.logout()
    return page.context["calendar_url"], page.context["feed_url"]


def test_a_calendar_program_reads_the_personal_calendar_without_signing_in(
    client, kent_medway, scrutineer
):
    calendar_url, _ = personal_urls(client, scrutineer)

    response = client.get(calendar_url)

    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event.get("summary")) for event in calendar.walk("VEVENT")]
    assert any("South Kent Coast" in summary for summary in summaries)


def test_a_feed_reader_reads_the_personal_feed_without_signing_in(client, kent_medway, scrutineer):
    _, feed_url = personal_urls(client, scrutineer)

    response = client.get(feed_url)

    assert response.status_code == 200
    assert b"<feed" in response.content
    assert b"Thanet" in response.content


def test_the_plain_addresses_still_need_a_sign_in(client, kent_medway):
    assert client.get("/calendar.ics").status_code == 302
    assert client.get("/timeline/feed/").status_code == 302


def test_a_made_up_or_tampered_key_finds_nothing(client, kent_medway, scrutineer):
    key = subscription_key(scrutineer)

    assert client.get("/subscribe/not-a-key/calendar.ics").status_code == 404
    assert client.get(f"/subscribe/{key}x/feed/").status_code == 404


def test_deactivating_the_account_stops_its_addresses(client, kent_medway, scrutineer):
    calendar_url, feed_url = personal_urls(client, scrutineer)
    scrutineer.is_active = False
    scrutineer.save()

    assert client.get(calendar_url).status_code == 404
    assert client.get(feed_url).status_code == 404


def test_a_user_without_a_group_gets_no_subscription(client, kent_medway):
    from tests.factories import UserFactory

    stranger = UserFactory(username="no.group")

    assert client.get(f"/subscribe/{subscription_key(stranger)}/calendar.ics").status_code == 404


def test_a_personal_address_is_never_cached(client, kent_medway, scrutineer):
    calendar_url, feed_url = personal_urls(client, scrutineer)

    for url in (calendar_url, feed_url):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control
        assert "no-store" in cache_control


def test_getting_new_addresses_stops_the_old_ones_at_once(client, kent_medway, scrutineer):
    old_calendar, old_feed = personal_urls(client, scrutineer)
    client.force_login(scrutineer)

    response = client.post("/subscribe/")

    assert response.status_code == 302
    new_calendar, new_feed = personal_urls(client, scrutineer)
    assert client.get(old_calendar).status_code == 404
    assert client.get(old_feed).status_code == 404
    assert client.get(new_calendar).status_code == 200
    assert new_calendar != old_calendar


def test_changing_the_password_stops_the_addresses(client, kent_medway, scrutineer):
    calendar_url, _ = personal_urls(client, scrutineer)

    scrutineer.set_password("a-new-long-passphrase")
    scrutineer.save()

    assert client.get(calendar_url).status_code == 404


def test_the_personal_calendar_names_each_event_as_the_signed_in_one_does(
    client, kent_medway, scrutineer
):
    calendar_url, _ = personal_urls(client, scrutineer)

    personal = Calendar.from_ical(client.get(calendar_url, HTTP_HOST="localhost").content)
    client.force_login(scrutineer)
    signed_in = Calendar.from_ical(client.get("/calendar.ics", HTTP_HOST="127.0.0.1").content)

    def uids(calendar):
        return sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))

    # Moving from the signed-in calendar to a personal address (or from one host name to
    # another) leaves a calendar program with the same events, not a second copy of each.
    assert uids(personal) == uids(signed_in)
    assert all(uid.endswith("@kmcommission.invalid") for uid in uids(personal))
