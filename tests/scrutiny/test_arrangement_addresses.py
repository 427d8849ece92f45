"""With a second arrangement, what takes the reader elsewhere keeps the arrangement: the
menu, the help page's links, the subscription addresses, the feed's own address and the
names a calendar program and a feed reader list it by."""

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from ccgs.arrangements import choice_of
from ccgs.models import CCG
from scrutiny.subscriptions import subscription_key
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


def hrefs(html):
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', html)]


@pytest.mark.parametrize(
    "address", ["/timeline/", "/chart/", "/as-at/", "/briefing/", "/subscribe/"]
)
def test_every_link_of_the_scrutiny_sub_navigation_keeps_the_arrangement(
    client, merger, scrutineer, address
):
    client.force_login(scrutineer)

    nav = page(client, address, arrangement=MERGER).split('aria-label="Scrutiny pages"')[1]
    links = hrefs(nav.split("</nav>")[0])

    assert "/subscribe/?arrangement=" + MERGER in links
    assert len(links) == 7
    assert all(link.endswith(f"?arrangement={MERGER}") for link in links), links


def test_the_timeline_offers_the_arrangements_feed_and_comparison(client, merger, scrutineer):
    client.force_login(scrutineer)

    timeline = page(client, "/timeline/", arrangement=MERGER)
    as_recorded = page(client, "/timeline/", arrangement=MERGER, known_at="2018-05-01")
    default = page(client, "/timeline/")

    # Feed autodiscovery: a reader subscribes to the feed of the arrangement shown.
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" [^>]*'
        rf'href="/timeline/feed/\?arrangement={MERGER}">',
        timeline,
    )
    assert f'href="/as-at/?arrangement={MERGER}">in effect and as recorded' in timeline
    assert (
        f'href="/as-at/?as_at=2018-05-01&amp;known_at=2018-05-01&amp;arrangement={MERGER}"'
        in as_recorded
    )
    assert 'href="/timeline/feed/">' in default
    assert 'href="/as-at/">in effect and as recorded' in default


def test_the_logo_and_the_footer_keep_the_arrangement(client, merger, scrutineer):
    client.force_login(scrutineer)

    team = page(client, "/team/", arrangement=MERGER)
    default = page(client, "/team/")

    assert f'class="nhsuk-header__service-logo" href="/?arrangement={MERGER}"' in team
    footer = team.split('<footer class="nhsuk-footer"')[1]
    assert f"/help/?arrangement={MERGER}" in hrefs(footer)
    assert f"/accessibility/?arrangement={MERGER}" in hrefs(footer)
    assert 'class="nhsuk-header__service-logo" href="/"' in default
    assert {"/help/", "/accessibility/"} <= set(
        hrefs(default.split('<footer class="nhsuk-footer"')[1])
    )


def test_the_accessibility_statement_keeps_a_signed_in_readers_arrangement(
    client, merger, scrutineer
):
    client.force_login(scrutineer)

    statement = page(client, "/accessibility/", arrangement=MERGER)
    unknown = page(client, "/accessibility/", arrangement="merger-2030")

    menu = statement.split('aria-label="Menu"')[1]
    for path in ("/", "/timeline/", "/team/", "/help/"):
        assert f'href="{path}?arrangement={MERGER}"' in menu, path
    assert f'href="/help/?arrangement={MERGER}"' in statement  # the footer
    # An unknown arrangement is no error here: the links just keep none.
    assert "arrangement=" not in unknown
    assert 'href="/timeline/"' in unknown.split('aria-label="Menu"')[1]


def test_the_accessibility_statement_tells_anyone_else_nothing_of_the_arrangements(
    client, merger, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the request's savepoint and its release
        statement = page(client, "/accessibility/", arrangement=MERGER)

    assert "arrangement=" not in statement
    assert "single CCG" not in statement


def test_other_links_of_the_arrangements_pages_keep_it(client, merger, staff):
    client.force_login(staff)

    search = page(client, "/search/", arrangement=MERGER, q="zzzqqq")
    add_function = page(client, "/functions/add/", arrangement=MERGER)
    decision_form = page(client, "/ccgs/thanet/decisions/new/", arrangement=MERGER)

    assert f'href="/help/?arrangement={MERGER}#glossary">glossary' in search
    back = add_function.split('class="nhsuk-back-link"')[1].split("</nav>")[0]
    assert f'href="/functions/?arrangement={MERGER}"' in back
    assert f'href="/ccgs/thanet/?arrangement={MERGER}"\n' in decision_form
    assert "Back to Thanet CCG" in decision_form


def test_the_charts_link_to_a_ccgs_earlier_changes_keeps_the_arrangement(merger):
    thanet = CCG.objects.get(slug="thanet")

    html = render_to_string(
        "scrutiny/includes/chart_earlier.html",
        {
            "count": 3,
            "lane": SimpleNamespace(ccg=thanet),
            "arrangement_choice": choice_of(merger),
        },
    )

    assert f'3 earlier, on <a href="/ccgs/thanet/?arrangement={MERGER}">the Thanet page</a>' in html


def test_the_briefing_says_the_arrangement_the_ccgs_had_joined(client, merger, scrutineer):
    client.force_login(scrutineer)

    merger_paper = page(client, "/briefing/", arrangement=MERGER, as_at="2018-04-27")
    default_paper = page(client, "/briefing/", as_at="2018-04-27")

    assert "0 of 8 CCGs had joined the Kent and Medway single CCG on 27 April 2018." in merger_paper
    assert (
        "7 of 8 CCGs had joined the Kent and Medway strategic commissioner on 27 April 2018"
        in default_paper
    )


def test_the_glossary_explains_arrangements_once_there_are_several(client, kent_medway, scrutineer):
    client.force_login(scrutineer)
    one = page(client, "/help/")

    second_arrangement()
    several = page(client, "/help/", arrangement=MERGER)

    assert ">Arrangement<" not in one
    entry = several.split(">Arrangement<")[1].split("</div>")[0]
    assert "a merger into one CCG" in entry
    assert "?arrangement=" in entry


@override_settings(DEBUG=False)
@pytest.mark.parametrize("feed", ["own", "personal"])
def test_a_feed_of_an_unknown_arrangement_is_the_404_page_listing_the_known_ones(
    client, merger, scrutineer, feed
):
    if feed == "own":
        client.force_login(scrutineer)
        address = "/timeline/feed/"
    else:
        address = reverse("scrutiny:feed-subscription", args=[subscription_key(scrutineer)])

    response = client.get(address, {"arrangement": "nope"})

    assert response.status_code == 404
    reason = response.content.decode().split('data-testid="not-found-reason">')[1]
    assert reason.startswith("There is no arrangement ‘nope’ in the record.")
    assert f"‘{MERGER}’ (Kent and Medway single CCG)" in reason.split("</p>")[0]
