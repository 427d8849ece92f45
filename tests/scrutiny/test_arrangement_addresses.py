"""With a second arrangement, what takes the reader elsewhere keeps the arrangement: the
menu, the help page's links, the subscription addresses, the feed's own address and the
names a calendar program and a feed reader list it by."""

import re

import pytest

from tests.factories import second_arrangement

pytestmark = pytest.mark.django_db

MERGER = "kent-and-medway-single-ccg"


@pytest.fixture
def merger(kent_medway):
    return second_arrangement()


def page(client, address, **params):
    response = client.get(address, params)
    assert response.status_code == 200, address
    return response.content.decode()


def test_every_menu_link_keeps_the_arrangement(client, merger, scrutineer):
    client.force_login(scrutineer)

    menu = page(client, "/chart/", arrangement=MERGER).split('aria-label="Menu"')[1]

    for path in ("/", "/timeline/", "/team/", "/functions/", "/briefing/", "/search/", "/help/"):
        assert f'href="{path}?arrangement={MERGER}"' in menu, path


def test_the_help_pages_links_keep_the_arrangement_and_an_unknown_one_is_refused(
    client, merger, scrutineer
):
    client.force_login(scrutineer)

    help_page = page(client, "/help/", arrangement=MERGER)
    unknown = client.get("/help/", {"arrangement": "merger-2030"})

    assert f'href="/chart/?arrangement={MERGER}"' in help_page
    assert f'href="/?arrangement={MERGER}"' in help_page
    assert unknown.status_code == 404
    assert "There is no arrangement ‘merger-2030’" in unknown.content.decode()


def test_the_subscription_addresses_are_the_arrangements_and_work(client, merger, scrutineer):
    client.force_login(scrutineer)

    subscribe = page(client, "/subscribe/", arrangement=MERGER)
    default = page(client, "/subscribe/")
    addresses = dict(
        re.findall(r'<code class="scrutiny-address" id="(\w+)-url">([^<]+)<', subscribe)
    )
    client.logout()  # a calendar program or feed reader cannot sign in
    calendar = client.get(addresses["calendar"].replace("&amp;", "&"))
    feed = client.get(addresses["feed"].replace("&amp;", "&"))

    assert addresses["calendar"].endswith(f"/calendar.ics?arrangement={MERGER}")
    assert addresses["feed"].endswith(f"/feed/?arrangement={MERGER}")
    assert "Kent and Medway single CCG" in subscribe  # says which one, and offers the other
    assert "arrangement=" not in default.split('id="calendar-url"')[1].split("</code>")[0]
    assert calendar.status_code == 200
    assert "X-WR-CALNAME:Kent and Medway single CCG: scrutiny" in calendar.content.decode()
    assert feed.status_code == 200
    assert "<title>Kent and Medway single CCG: changes to the record</title>" in (
        feed.content.decode()
    )


def test_an_unknown_arrangement_has_no_subscription_page(client, merger, scrutineer):
    client.force_login(scrutineer)

    response = client.get("/subscribe/", {"arrangement": "merger-2030"})

    assert response.status_code == 404


def test_the_feed_names_its_own_address_with_the_arrangement(client, merger, scrutineer):
    client.force_login(scrutineer)

    merger_feed = page(client, "/timeline/feed/", arrangement=MERGER)
    default_feed = page(client, "/timeline/feed/")

    # A reader refreshes by rel="self": without the arrangement it would get the other feed.
    assert f'href="http://testserver/timeline/feed/?arrangement={MERGER}" rel="self"' in (
        merger_feed
    )
    assert 'href="http://testserver/timeline/feed/" rel="self"' in default_feed


def test_the_calendar_is_named_for_its_arrangement(client, merger, scrutineer):
    client.force_login(scrutineer)

    merger_calendar = page(client, "/calendar.ics", arrangement=MERGER)
    default_calendar = page(client, "/calendar.ics")

    assert "X-WR-CALNAME:Kent and Medway single CCG: scrutiny" in merger_calendar
    assert "X-WR-CALNAME:Kent and Medway strategic commissioner: scrutiny" in default_calendar


def test_the_chart_and_briefing_are_headed_with_their_arrangement(client, merger, scrutineer):
    client.force_login(scrutineer)

    chart = page(client, "/chart/", arrangement=MERGER)
    briefing = page(client, "/briefing/", arrangement=MERGER)
    default_chart = page(client, "/chart/")

    assert "<h1>Membership of Kent and Medway single CCG over time</h1>" in chart
    assert "Kent and Medway single CCG</title>" in briefing
    assert (
        "<h1>Membership of Kent and Medway strategic commissioner over time</h1>" in default_chart
    )
