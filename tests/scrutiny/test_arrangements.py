"""A second arrangement beside the 2018 one: every page, the APIs, the exports, the feed and
the calendar answer for either (``?arrangement=<slug>``), the default answers as before, and
an arrangement the record does not hold is refused with the ones it does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions import services
from records.services import source_create
from scrutiny.selectors import Cursor
from tests.factories import CommissionerFactory, UserFactory, second_arrangement

pytestmark = pytest.mark.django_db

MERGER = "kent-and-medway-single-ccg"
STORY = "kent-and-medway-strategic-commissioner"


def add_merger():
    """The merger 001 foresaw "no earlier than April 2019": Thanet agreed to it, Ashford
    deferred its decision to December 2018 (invented for the tests)."""
    arrangement = second_arrangement()
    staff = UserFactory(username="merger.staff")
    source = source_create(
        title="Thanet CCG governing body minutes, September 2018",
        publisher="NHS Thanet CCG",
        published=datetime.date(2018, 9, 21),
        quote="The governing body agreed to merge into one CCG from April 2019.",
        user=staff,
        commissioner=arrangement,
    )
    for ccg, outcome, expected in (("thanet", "agreed", None), ("ashford", "deferred", 12)):
        membership = arrangement.memberships.get(ccg__slug=ccg)
        services.decision_record(
            ccg=membership.ccg,
            commissioner=arrangement,
            body="governing_body",
            outcome=outcome,
            meeting_date=datetime.date(2018, 9, 20),
            effective_date=datetime.date(2019, 4, 1) if outcome == "agreed" else None,
            expected_date=datetime.date(2018, 12, 31) if expected else None,
            expected_date_precision="month",
            summary=f"The governing body {outcome} the merger into one CCG.",
            sources=[source],
            reason="Minutes of the September meeting",
            user=staff,
        )
    return arrangement


@pytest.fixture
def merger(kent_medway):
    return add_merger()


def answer(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    return b"".join(response.streaming_content) if response.streaming else response.content


def api_members(client, **params):
    response = client.get("/api/membership/", params)
    assert response.status_code == 200
    return {m["ccg"]: m["status"] for m in response.json()["members"]}


def test_the_2018_record_answers_exactly_as_before_a_second_arrangement_was_added(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)
    addresses = [
        "/api/membership/?as_at=2018-05-01",
        "/api/membership/?as_at=2019-05-01",
        "/api/timeline/",
        "/timeline/?format=csv",
        f"/api/membership/?as_at=2019-05-01&arrangement={STORY}",
    ]
    before = [answer(client, address) for address in addresses]

    add_merger()

    assert [answer(client, address) for address in addresses] == before
    assert api_members(client, as_at="2019-05-01")["Thanet"] == "joined"


def test_the_membership_api_answers_for_the_arrangement_asked_for(client, merger, scrutineer):
    client.force_login(scrutineer)

    in_effect = api_members(client, as_at="2019-05-01", arrangement=MERGER)
    before_it_took_effect = api_members(client, as_at="2018-10-01", arrangement=MERGER)

    assert in_effect == {
        "Ashford": "pending",
        "Canterbury and Coastal": None,
        "Dartford, Gravesham and Swanley": None,
        "Medway": None,
        "South Kent Coast": None,
        "Swale": None,
        "Thanet": "joined",
        "West Kent": None,
    }
    assert before_it_took_effect["Thanet"] is None
    # The 2018 record, by default, still has South Kent Coast pending and Ashford joined.
    default = api_members(client, as_at="2019-05-01")
    assert (default["Ashford"], default["South Kent Coast"]) == ("joined", "pending")


def test_an_unknown_arrangement_is_refused_with_the_ones_the_record_holds(
    client, merger, scrutineer
):
    client.force_login(scrutineer)
    known = f"‘{STORY}’ (Kent and Medway strategic commissioner), ‘{MERGER}’"

    api = client.get("/api/membership/", {"arrangement": "merger-2020"})
    timeline_api = client.get("/api/timeline/", {"arrangement": "merger-2020"})
    page = client.get("/", {"arrangement": "merger-2020"})
    calendar = client.get("/calendar.ics", {"arrangement": "merger-2020"})
    feed = client.get("/timeline/feed/", {"arrangement": "merger-2020"})

    assert api.status_code == timeline_api.status_code == 400
    assert api.json()["error"].startswith("There is no arrangement ‘merger-2020’ in the record.")
    assert known in api.json()["error"]
    assert timeline_api.json() == {
        "error": api.json()["error"],
        "fields": {"arrangement": [api.json()["error"]]},
    }
    assert page.status_code == 404
    assert "There is no arrangement ‘merger-2020’ in the record." in page.content.decode()
    assert known in page.content.decode()
    assert calendar.status_code == 400
    assert calendar.content.decode().startswith("There is no arrangement ‘merger-2020’")
    assert feed.status_code == 404


@pytest.mark.parametrize(
    "address",
    ["/", "/ccgs/thanet/", "/timeline/", "/as-at/", "/chart/", "/briefing/"],
)
def test_every_page_refuses_an_unknown_arrangement(client, kent_medway, scrutineer, address):
    client.force_login(scrutineer)

    response = client.get(address, {"arrangement": "nothing-like-it"})

    assert response.status_code == 404
    assert "There is no arrangement ‘nothing-like-it’" in response.content.decode()


def test_the_dashboard_shows_the_merger_says_so_and_keeps_it_in_its_links(
    client, merger, scrutineer
):
    client.force_login(scrutineer)

    page = client.get("/", {"arrangement": MERGER, "as_at": "2019-05-01"}).content.decode()
    default = client.get("/", {"as_at": "2019-05-01"}).content.decode()

    assert "1 of 8 CCGs have joined" in page
    assert "Membership of Kent and Medway single CCG" in page
    assert 'href="/ccgs/thanet/?arrangement=kent-and-medway-single-ccg"' in page
    assert 'name="arrangement" value="kent-and-medway-single-ccg"' in page  # the date form
    assert 'href="/timeline/?arrangement=kent-and-medway-single-ccg"' in page  # the menu
    # Either page offers the other, with the date kept.
    assert 'href="?as_at=2019-05-01">Kent and Medway strategic commissioner</a>' in page
    assert f'href="?as_at=2019-05-01&amp;arrangement={MERGER}">Kent and Medway single CCG' in (
        default
    )
    assert "7 of 8 CCGs have joined" in default
    assert "Membership of Kent and Medway strategic commissioner" in default
    assert 'href="/ccgs/thanet/"' in default


def test_with_one_arrangement_no_page_offers_another(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    page = client.get("/").content.decode()

    assert 'data-testid="arrangement-switch"' not in page
    assert "arrangement=" not in page


def test_the_ccg_page_shows_the_membership_and_decisions_of_the_arrangement(client, merger, staff):
    client.force_login(staff)

    page = client.get("/ccgs/thanet/", {"arrangement": MERGER})
    story = client.get("/ccgs/thanet/")

    assert [d.summary for d in page.context["decisions"]] == [
        "The governing body agreed the merger into one CCG."
    ]
    assert page.context["membership"].commissioner == merger
    assert page.context["membership"].status == "joined"
    assert "Membership status (Kent and Medway single CCG)" in page.content.decode()
    assert f'href="/ccgs/thanet/decisions/new/?arrangement={MERGER}"' in page.content.decode()
    story_summaries = [d.summary for d in story.context["decisions"]]
    assert "The governing body agreed the merger into one CCG." not in story_summaries
    assert len(story_summaries) == 2  # Thanet's opt-out and its joining
    assert f'href="/ccgs/thanet/decisions/new/?arrangement={STORY}"' in story.content.decode()


def test_the_timeline_and_its_exports_hold_the_arrangements_own_decisions(
    client, merger, scrutineer
):
    client.force_login(scrutineer)
    title = "Thanet: agreed to join (governing body)"

    thanet = {"ccg": "thanet", "kind": ["decision", "status_change"]}
    merger_events = client.get("/api/timeline/", {**thanet, "arrangement": MERGER}).json()
    story_events = client.get("/api/timeline/", thanet).json()
    sources = {"kind": "source_published", "date_from": "2018-09-01", "date_to": "2018-09-30"}
    merger_sources = client.get("/api/timeline/", {**sources, "arrangement": MERGER}).json()
    story_sources = client.get("/api/timeline/", sources).json()
    csv = b"".join(
        client.get("/timeline/", {"arrangement": MERGER, "format": "csv"}).streaming_content
    ).decode()
    xlsx = client.get("/timeline/", {"arrangement": MERGER, "format": "xlsx"})

    merger_titles = [event["title"] for event in merger_events["events"]]
    story_titles = [event["title"] for event in story_events["events"]]
    assert merger_titles == [title, "Thanet: membership status now joined"]
    assert title not in story_titles
    assert "Thanet: agreed to join (deciding body not stated)" in story_titles  # 2018's
    # A source only the merger's decisions cite is on the merger's timeline only.
    published = "Published: Thanet CCG governing body minutes, September 2018"
    assert [event["title"] for event in merger_sources["events"]] == [published]
    assert story_sources["events"] == []
    assert "The governing body agreed the merger into one CCG." in csv
    assert "decided not to join" not in csv
    assert xlsx.status_code == 200
    assert f"timeline-{MERGER}-" in xlsx["Content-Disposition"]


def test_the_timeline_pages_keep_the_arrangement_in_their_links(client, merger, scrutineer):
    client.force_login(scrutineer)

    first = client.get("/timeline/", {"arrangement": MERGER}).context["page"].events[0]
    response = client.get("/timeline/", {"arrangement": MERGER, "after": Cursor.of(first)})

    assert f"arrangement={MERGER}" in response.context["previous_url"]
    assert f"arrangement={MERGER}" in response.context["csv_url"]
    assert f"arrangement={MERGER}" in response.context["xlsx_url"]
    assert 'name="arrangement" value="kent-and-medway-single-ccg"' in response.content.decode()


def test_the_briefing_chart_and_point_in_time_pages_answer_for_the_merger(
    client, merger, scrutineer
):
    client.force_login(scrutineer)
    arrangement = {"arrangement": MERGER}

    briefing = client.get("/briefing/", {**arrangement, "as_at": "2019-05-01"})
    chart = client.get("/chart/", {**arrangement, "as_at": "2019-05-01"})
    as_at = client.get("/as-at/", {**arrangement, "as_at": "2019-05-01"})

    text = briefing.content.decode()
    assert "Kent and Medway single CCG: position as at 1 May 2019" in text
    assert "1 of 8 CCGs had joined the Kent and Medway single CCG on 1 May 2019." in text
    lanes = {
        lane.ccg.name: [bar.status for bar in lane.bars] for lane in chart.context["chart"].lanes
    }
    assert lanes["Thanet"] == ["joined"]  # from April 2019, nothing before
    assert lanes["Ashford"] == ["pending"]
    assert lanes["Swale"] == []
    rows = {row["ccg"].name: row["now"].status for row in as_at.context["rows"]}
    assert rows["Thanet"] == "joined"
    assert rows["Ashford"] == "pending"
    assert rows["Swale"] is None


def test_the_calendar_and_the_feed_answer_for_the_merger(client, merger, scrutineer):
    client.force_login(scrutineer)

    merger_calendar = client.get("/calendar.ics", {"arrangement": MERGER}).content.decode()
    story_calendar = client.get("/calendar.ics").content.decode()
    merger_feed = client.get("/timeline/feed/", {"arrangement": MERGER}).content.decode()
    story_feed = client.get("/timeline/feed/").content.decode()

    # Ashford's expected decision on the merger is in the merger's calendar only.
    assert "SUMMARY:Ashford: decision expected" in merger_calendar
    assert "SUMMARY:Ashford: decision expected" not in story_calendar
    assert "arrangement=kent-and-medway-single-ccg" in merger_calendar.replace("\r\n ", "")
    assert "arrangement=" not in story_calendar.replace("\r\n ", "")
    assert "Kent and Medway single CCG: changes to the record" in merger_feed
    assert "Kent and Medway strategic commissioner: changes to the record" in story_feed
    assert "The governing body agreed the merger into one CCG." in merger_feed
    assert "The governing body agreed the merger into one CCG." not in story_feed
    assert f"feed/changes/{MERGER}" in merger_feed


def test_pages_cost_the_same_queries_whatever_the_arrangement_and_however_many(
    client, merger, scrutineer, django_assert_num_queries
):
    client.force_login(scrutineer)
    client.get("/")  # warm the session
    addresses = ["/", "/ccgs/thanet/", "/api/membership/", "/api/timeline/", "/chart/"]
    choices = ({}, {"arrangement": MERGER}, {"arrangement": STORY})
    counts = {}
    for params in choices:
        for address in addresses:
            with CaptureQueriesContext(connection) as queries:
                client.get(address, params)
            counts[address, params.get("arrangement", "")] = len(queries)

    for address in addresses:
        assert counts[address, STORY] == counts[address, ""], address
        # The merger's record has no meetings, officers, claims or conflicts to complete with
        # their sources (a prefetch of nothing is no query): never more than the 2018 one's.
        assert counts[address, MERGER] <= counts[address, ""], address
    second_arrangement(name="A third arrangement", form="Joint committee")
    for params in choices:
        for address in addresses:
            with django_assert_num_queries(counts[address, params.get("arrangement", "")]):
                client.get(address, params)
    counts = {address: counts[address, ""] for address in addresses}
    # The pinned counts of the default pages (tests/scrutiny/test_ccg_pages.py) hold too.
    assert counts["/"] == 12


def test_the_popolo_answer_is_the_arrangements_own(client, kent_medway, scrutineer):
    client.force_login(scrutineer)
    story_before = client.get("/api/popolo/", {"as_at": "2019-05-01"}).json()

    add_merger()
    story = client.get("/api/popolo/", {"as_at": "2019-05-01"}).json()
    merger = client.get("/api/popolo/", {"as_at": "2019-05-01", "arrangement": MERGER}).json()
    refused = client.get("/api/popolo/", {"arrangement": "merger-2020"})

    # The 2018 answer is as it was: the merger is not among its organizations.
    assert story == story_before
    assert [o["id"] for o in merger["organizations"] if o["id"].startswith("arrangement/")] == [
        f"arrangement/{MERGER}"
    ]
    members = [m for m in merger["memberships"] if m["id"].startswith("membership/")]
    assert [(m["id"], m["organization_id"]) for m in members] == [
        ("membership/thanet", f"arrangement/{MERGER}")
    ]
    # In the order they took effect: the deferral at its meeting, the agreement in April 2019.
    assert [motion["text"] for motion in merger["motions"]] == [
        "The governing body deferred the merger into one CCG.",
        "The governing body agreed the merger into one CCG.",
    ]
    assert refused.status_code == 400
    assert refused.json()["error"].startswith("There is no arrangement ‘merger-2020’")


def test_the_openapi_description_offers_the_arrangement_on_every_endpoint(client, scrutineer):
    client.force_login(scrutineer)

    schema = client.get("/api/schema/").json()

    for path in ("/api/membership/", "/api/timeline/", "/api/popolo/"):
        operation = schema["paths"][path]["get"]
        (parameter,) = [p for p in operation["parameters"] if p["name"] == "arrangement"]
        assert parameter["description"].startswith("The slug of the arrangement")
        examples = operation["responses"]["400"]["content"]["application/json"]["examples"]
        assert "no_such_arrangement" in examples


def test_a_ccg_outside_the_arrangement_has_no_page_in_it(client, scrutineer, kent_medway):
    merger = CommissionerFactory(name="Example merger of two CCGs")  # no CCGs in it yet
    client.force_login(scrutineer)

    response = client.get("/ccgs/swale/", {"arrangement": merger.slug})

    assert response.status_code == 404
    assert "Swale CCG is not in Example merger of two CCGs." in response.content.decode()
    assert client.get("/ccgs/swale/").status_code == 200
