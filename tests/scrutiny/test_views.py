"""The scrutiny pages and the timeline API, as a signed-in scrutiny officer uses them."""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import EventKind, TimelineEvent
from scrutiny.selectors import PAGE_SIZE
from tests.factories import story

pytestmark = pytest.mark.django_db

# Every page: session, user, the request's savepoint and its release
# (ATOMIC_REQUESTS), and the user's groups for the role in the header.
REQUEST_OVERHEAD = 5

PAGES = [
    "scrutiny:timeline",
    "scrutiny:as-at",
    "scrutiny:chart",
    "scrutiny:briefing",
    "scrutiny:calendar",
    "scrutiny:feed",
    "scrutiny:api-timeline",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_scrutiny_page_needs_a_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.fixture
def signed_in(client, scrutineer):
    client.force_login(scrutineer)
    return client


def _more_events(count):
    """Extra events spread over 2019, to page through."""
    start = datetime.date(2019, 1, 1)
    arrangement = story()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            commissioner=arrangement,
            kind=EventKind.SOURCE_PUBLISHED,
            date=start + datetime.timedelta(days=n // 3),
            sort_date=start + datetime.timedelta(days=n // 3),
            recorded_at=timezone.now(),
            title=f"Generated event {n}",
        )
        for n in range(count)
    )


# --- Timeline -------------------------------------------------------------------


def test_the_timeline_filtered_to_thanet_shows_the_opt_out_then_the_joining(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "thanet"})

    page = response.content.decode()
    assert response.status_code == 200
    opted_out = page.index("Thanet: membership status now opted out")
    joined = page.index("Thanet: membership status now joined")
    assert opted_out < joined
    # Dates keep their precision: "by 27 February 2018", never a plain 27 February.
    assert '<time datetime="2018-02-27">by 27 February 2018</time>' in page
    assert '<time datetime="2018-03-19">19 March 2018</time>' in page
    # Each shows its sources with publisher and date.
    assert "Kent and Medway Sustainability and Transformation Partnership, 27 February 2018" in page
    assert "Kent County Council, Health Overview and Scrutiny Committee, April 2018" in page
    assert "Ashford" not in page.split('class="scrutiny-timeline')[1]


def test_the_filters_stay_in_the_address_for_bookmarks_and_paging(signed_in, kent_medway):
    _more_events(PAGE_SIZE + 10)
    response = signed_in.get(
        reverse("scrutiny:timeline"), {"kind": ["source_published", "decision"]}
    )

    next_url = response.context["next_url"]
    query = parse_qs(urlparse(next_url).query)
    assert query["kind"] == ["source_published", "decision"]
    assert "after" in query
    following = signed_in.get(next_url)
    kinds = {e.kind for e in following.context["page"].events}
    assert kinds, "the next page shows events"
    assert kinds <= {"source_published", "decision"}
    page = response.content.decode()
    assert 'value="source_published" checked' in page
    assert 'href="/timeline/?kind=source_published&amp;kind=decision&amp;format=csv"' in page


def test_timeline_page_n_costs_the_same_queries_as_page_1(
    signed_in, kent_medway, django_assert_num_queries
):
    _more_events(PAGE_SIZE * 5)
    url = reverse("scrutiny:timeline")
    params = {"ccg": "", "kind": ["source_published", "scrutiny_meeting"]}
    first = signed_in.get(url, params)
    later = first.context["next_url"]
    for _ in range(3):
        later = signed_in.get(later).context["next_url"]

    # REQUEST_OVERHEAD, the filter form's CCGs and locality groups, the events
    # (one keyset range scan from the cursor) and their sources: 9 on page 1 and page 5.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(REQUEST_OVERHEAD + 5):
        signed_in.get(url, params)
    with django_assert_num_queries(REQUEST_OVERHEAD + 5) as queries:
        response = signed_in.get(later)
    assert response.context["page"].events
    (events_sql,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "records_timelineevent"' in q["sql"]
    ]
    assert "OFFSET" not in events_sql
    assert f"LIMIT {PAGE_SIZE + 1}" in events_sql


def test_earlier_events_link_goes_back_a_page(signed_in, kent_medway):
    _more_events(PAGE_SIZE * 2)
    first = signed_in.get(reverse("scrutiny:timeline"))
    second = signed_in.get(first.context["next_url"])

    back = signed_in.get(second.context["previous_url"])

    assert [e.id for e in back.context["page"].events] == [
        e.id for e in first.context["page"].events
    ]
    assert first.context["previous_url"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ccg": "maidstone"}, "There is no CCG with that name"),
        ({"locality": "north-pole"}, "There is no locality group with that name"),
        ({"kind": "rumour"}, "rumour is not a kind of event this timeline has"),
        ({"date_from": "1 March"}, "The &#x27;from&#x27; date must be a date written YYYY-MM-DD"),
        ({"known_at": "2018-02-30"}, "The &#x27;as recorded on&#x27; date must be a real day"),
        (
            {"date_from": "2018-04-01", "date_to": "2018-03-01"},
            "The &#x27;to&#x27; date cannot be before the &#x27;from&#x27; date.",
        ),
        ({"after": "; DROP TABLE"}, "The page position is not one this site wrote"),
        ({"known_at": "9999-12-31"}, "The &#x27;as recorded on&#x27; date must be between 1900"),
        ({"date_to": "0001-01-01"}, "The &#x27;to&#x27; date must be between 1900 and 2100"),
    ],
)
def test_a_bad_filter_is_explained_on_the_page_not_a_500(signed_in, kent_medway, params, message):
    response = signed_in.get(reverse("scrutiny:timeline"), params)

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "scrutiny-timeline__event" not in page


def test_the_timeline_as_recorded_on_1_march_leaves_out_what_came_later(signed_in, kent_medway):
    page = signed_in.get(
        reverse("scrutiny:timeline"), {"ccg": "thanet", "known_at": "2018-03-01"}
    ).content.decode()

    assert "Thanet: membership status now opted out" in page
    # The March article is public only by 5 March: nothing of Hazel Smith yet.
    assert "Hazel Smith" not in page
    assert "Thanet: membership status now joined" not in page
    assert "Showing only what the record knew by the end of 1 March 2018" in page


# --- Timeline API ------------------------------------------------------------------


def test_the_timeline_api_gives_the_same_events_as_json_with_a_next_link(
    signed_in, kent_medway, django_assert_num_queries
):
    _more_events(PAGE_SIZE + 5)
    html = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "thanet"})

    # session, user, groups (a role is required), savepoint and release, CCGs, locality
    # groups, events, sources.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(10):
        response = signed_in.get(reverse("scrutiny:api-timeline"), {"ccg": "thanet"})

    body = response.json()
    assert [e["id"] for e in body["events"]] == [e.id for e in html.context["page"].events]
    joined = next(e for e in body["events"] if e["title"] == "Thanet: membership status now joined")
    assert joined["date"] == "2018-03-19"
    assert joined["date_precision"] == "day"
    assert joined["sources"][0]["publisher"] == (
        "Kent County Council, Health Overview and Scrutiny Committee"
    )
    assert joined["sources"][0]["published"] == "2018-04"
    opted_out = body["events"][0]
    assert opted_out["date"] == "2018-02-27"
    assert opted_out["date_display"] == "by 27 February 2018"
    assert body["next"] is None
    everything = signed_in.get(reverse("scrutiny:api-timeline")).json()
    assert everything["next"].startswith("http://testserver/api/timeline/?after=")
    rest = signed_in.get(everything["next"]).json()
    assert rest["events"][0]["id"] != everything["events"][-1]["id"]


def test_the_timeline_api_answers_400_with_the_field_errors(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:api-timeline"), {"date_to": "tomorrow"})

    assert response.status_code == 400
    assert "date_to" in response.json()["fields"]


# --- In effect on, as recorded on ---------------------------------------------------


def test_the_point_in_time_page_shows_both_readings_side_by_side(
    signed_in, kent_medway, django_assert_num_queries
):
    # REQUEST_OVERHEAD, then 8 for each reading (membership and officers), and 2 more for
    # the reading as now known: the Membership rows, with their decisions' sources, of the
    # CCGs with nothing after the day, beside the log of those with decisions still to come.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(REQUEST_OVERHEAD + 19):
        response = signed_in.get(
            reverse("scrutiny:as-at"), {"as_at": "2018-03-13", "known_at": "2018-03-05"}
        )

    rows = {row["ccg"].name: row for row in response.context["rows"]}
    ashford = rows["Ashford"]
    # Now known (the committee paper, April): Glenn Douglas from 12 March; the record of
    # 5 March knew no accountable officer for Ashford.
    assert [a.person.name for a in ashford["now_officers"]] == ["Glenn Douglas"]
    assert [a.person.name for a in ashford["then_officers"]] == []
    assert ashford["differs"]
    skc = rows["South Kent Coast"]
    assert [a.person.name for a in skc["then_officers"]] == ["Hazel Smith"]
    page = response.content.decode()
    assert "In effect on 13 March 2018" in page
    assert "As recorded on 5 March 2018" in page


def test_13_march_six_in_effect_and_the_record_then_agreed(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:as-at"), {"as_at": "2018-03-13"})

    page = response.content.decode()
    assert "6 of 8 CCGs in effect on 13 March 2018; the record said 6 of 8 on 13 March 2018" in page


def test_20_march_seven_in_effect_but_the_record_then_said_six(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:as-at"), {"as_at": "2018-03-20"})

    assert "7 of 8 CCGs in effect on 20 March 2018; the record said 6 of 8" in (
        response.content.decode()
    )


def test_the_point_in_time_page_explains_a_bad_date(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:as-at"), {"as_at": "13/03/2018"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "The ‘in effect on’ date must be a date written YYYY-MM-DD" in page
    # The mistake stays in its box, marked, for the user to correct.
    assert 'value="13/03/2018"' in page
    assert 'href="#as_at"' in page
    assert 'id="as_at-error"' in page


@pytest.mark.parametrize(
    ("as_at", "known_at", "thanet", "skc", "joined"),
    [
        # No source gives a status before 27 February: none, not a guessed "considering".
        ("2018-02-19", None, None, None, 0),
        ("2018-02-28", None, "opted_out", "pending", 6),
        ("2018-02-28", "2018-02-26", None, None, 0),
        ("2018-03-13", None, "opted_out", "pending", 6),
        ("2018-03-20", None, "joined", "pending", 7),
        ("2018-03-20", "2018-03-20", "opted_out", "pending", 6),
        ("2018-04-19", None, "joined", "pending", 7),
    ],
)
def test_the_membership_api_tells_the_2018_story(
    signed_in, kent_medway, as_at, known_at, thanet, skc, joined
):
    params = {"as_at": as_at} | ({"known_at": known_at} if known_at else {})

    body = signed_in.get("/api/membership/", params).json()

    status = {m["ccg"]: m["status"] for m in body["members"]}
    assert status["Thanet"] == thanet
    assert status["South Kent Coast"] == skc
    assert sum(s == "joined" for s in status.values()) == joined


def test_the_membership_api_as_recorded_on_19_april_expected_no_date(signed_in, kent_medway):
    # On 19 April the record's latest word was the March article: a further meeting "being
    # arranged", no date; the 19 April date came with the committee paper (27 April).
    then = signed_in.get("/api/membership/", {"as_at": "2018-04-27", "known_at": "2018-04-19"})
    now = signed_in.get("/api/membership/", {"as_at": "2018-04-27"})

    skc_then = next(m for m in then.json()["members"] if m["ccg"] == "South Kent Coast")
    skc_now = next(m for m in now.json()["members"] if m["ccg"] == "South Kent Coast")
    assert skc_then["expected_decision"] is None
    assert skc_now["expected_decision"] == "2018-04-19"


# --- Chart -------------------------------------------------------------------------


def test_the_chart_page_draws_the_svg_and_its_table(
    signed_in, kent_medway, django_assert_num_queries
):
    # REQUEST_OVERHEAD, CCGs, the decision log (the chart needs no sources of it), the
    # decisions to mark, meetings and their sources.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(REQUEST_OVERHEAD + 6):
        response = signed_in.get(reverse("scrutiny:chart"), {"as_at": "2018-03-13"})

    page = response.content.decode()
    assert "<svg" in page
    assert "<script" not in page.split("<main")[1]
    assert "style=" not in page
    assert "The chart as a table" in page
    lanes = {lane.ccg.name: lane.status_on_date for lane in response.context["chart"].lanes}
    assert lanes["Thanet"] == "Opted out"
    assert lanes["South Kent Coast"] == "Pending"
    assert lanes["West Kent"] == "Joined"


def test_the_chart_explains_a_bad_date(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:chart"), {"as_at": "March"})

    assert response.status_code == 400
    assert "The date to mark must be a date written YYYY-MM-DD" in response.content.decode()


# --- Briefing ------------------------------------------------------------------------


def test_the_briefing_for_the_april_committee(signed_in, kent_medway, django_assert_num_queries):
    # REQUEST_OVERHEAD, previous meeting, 7 for the point in time (by 27 April nothing in
    # the log is still to come, so the Membership rows answer), the latest decisions since
    # and the latest changes of post, each with its sources and what it is about (3 + 3),
    # 4 for the proposed structure's filled posts (posts, CCGs, assignments, their sources),
    # where the sources disagree and the claims (2): the same however many CCGs, changes or
    # sources (a count is added when there are more than fit).
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(REQUEST_OVERHEAD + 21):
        response = signed_in.get(reverse("scrutiny:briefing"), {"as_at": "2018-04-27"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "position as at 27 April 2018" in page
    # The 2 March meeting was cancelled: the last one held was 26 January.
    assert "Changes since 26 January 2018" in page
    assert "7 of 8 CCGs had joined the strategic commissioner on 27 April 2018" in page
    assert "decision expected 19 April 2018; review by 19 April 2018" in page
    assert "(review date passed)" in page
    assert "Thanet: agreed to join" in page
    # The February decisions are there beside the month's changes of post.
    assert "Ashford: agreed to join" in page
    assert "Glenn Douglas" in page
    # Who prepared it, when, and from the record as of which day.
    today = timezone.localdate()
    assert re.search(
        rf"Prepared on {today.day} {today:%B %Y} by [^,<]+,\s+as recorded on {today.day} {today:%B %Y}",
        page,
    )
    # The team's posts, filled and not; a role change is a change a committee hears of.
    assert "5 of 9 posts filled" in page
    assert "No holder named by the sources:" in page
    assert "Director of finance (2 seats)" in page
    changes = [line.text for line, *_numbers_and_note in response.context["decisions"]]
    assert "Hazel Smith leaves Accountable officer, Thanet CCG" in changes
    # One line for Glenn Douglas's posts taken up on 12 March, not one per post.
    douglas = [line for line in changes if line.startswith("Glenn Douglas starts as")]
    assert len(douglas) == 2  # 12 March, and Thanet on 19 March
    assert "Accountable officer (strategic commissioner); " in douglas[0]
    assert "Accountable officer, Ashford CCG" in douglas[0]
    # Sources as numbered footnotes, each cited from the text.
    footnotes = response.context["footnotes"]
    assert {s.key for s in footnotes} >= {"002", "000", "003"}
    for number in range(1, len(footnotes) + 1):
        assert f'href="#source-{number}"' in page
        assert f'id="source-{number}"' in page
    # The address is the paper's background document, and the footnote says so; the link
    # wraps only at its slashes and before ? and &.
    assert (
        "Background document named in the report: the committee&#x27;s meeting of 26 January 2018"
        in page
    )
    address = "https://democracy.kent.gov.uk/ieListDocuments.aspx?CId=112&amp;MId=7639&amp;Ver=4"
    assert (
        f'<a class="briefing__url" href="{address}">https://democracy.kent.gov.uk/<wbr>'
        "ieListDocuments.aspx<wbr>?CId=112<wbr>&amp;MId=7639<wbr>&amp;Ver=4</a>"
    ) in page
    # Where the sources disagree, both sides with their footnotes; Thanet's row points there.
    disagreements = page[page.index('id="disagreements"') : page.index("briefing__sources")]
    assert "Hazel Smith, South Kent Coast CCG" in disagreements
    assert "she remains as accountable officer for South Kent Coast CCG" in disagreements
    assert (
        "Previously accountable officer for […] South Kent Coast CCG, Thanet CCG" in disagreements
    )
    assert "seven of the eight CCGs have committed" in disagreements
    assert "Thanet CCG joined shortly after on 19 March." in disagreements
    assert "the sources disagree: see 6" in page
    # The record's own notes stay out of the printed paper unless asked for.
    assert "app-record-note" not in page
    assert "Show the record's notes" in page


def test_the_briefing_shows_the_records_notes_only_when_asked(signed_in, kent_medway):
    plain = signed_in.get(reverse("scrutiny:briefing"), {"as_at": "2018-04-27"})
    noted = signed_in.get(reverse("scrutiny:briefing"), {"as_at": "2018-04-27", "notes": "1"})

    assert "The paper does not say which body decided." not in plain.content.decode()
    page = noted.content.decode()
    assert "The paper does not say which body decided." in page
    assert "This record's summary" in page
    assert "Leave the record's notes out" in page


def test_the_briefing_as_recorded_before_april_shows_no_disagreement_yet(signed_in, kent_medway):
    response = signed_in.get(
        reverse("scrutiny:briefing"), {"as_at": "2018-03-20", "known_at": "2018-03-20"}
    )

    assert 'id="disagreements"' not in response.content.decode()


def test_the_briefing_since_the_april_committee_lists_no_new_decisions(signed_in, kent_medway):
    response = signed_in.get(
        reverse("scrutiny:briefing"), {"as_at": "2018-05-31", "since": "2018-04-27"}
    )

    assert "No decisions or changes of post took effect in this period." in (
        response.content.decode()
    )


def test_the_briefing_as_recorded_on_1_march(signed_in, kent_medway):
    response = signed_in.get(
        reverse("scrutiny:briefing"),
        {"as_at": "2018-03-01", "known_at": "2018-03-01", "since": "2018-01-26"},
    )

    page = response.content.decode()
    assert "Drawn from the record as it stood at the end of 1 March 2018" in page
    assert "6 of 8 CCGs had joined" in page
    assert "decision expected 22 February 2018" in page
    assert "Glenn Douglas" not in page
    assert "Hazel Smith" not in page  # the March article is public only by 5 March


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"as_at": "27 April"}, "as_at", "The briefing date must be a date written YYYY-MM-DD"),
        (
            {"since": "2018-13-01"},
            "since",
            "The previous briefing date must be a real day: there is no month 13",
        ),
        (
            {"known_at": "now"},
            "known_at",
            "The ‘as recorded on’ date must be a date written YYYY-MM-DD",
        ),
        (
            {"as_at": "2018-03-01", "since": "2018-04-01"},
            "since",
            "must be on or before the briefing date",
        ),
    ],
)
def test_the_briefing_explains_bad_dates(signed_in, kent_medway, params, field, message):
    response = signed_in.get(reverse("scrutiny:briefing"), params)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # The summary links to the box at fault, which shows the same message.
    assert f'href="#{field}"' in page
    assert f'id="{field}-error"' in page
    assert "Status of each CCG" not in page


def test_the_briefing_with_a_bad_date_still_has_a_main_heading(signed_in, kent_medway):
    response = signed_in.get("/briefing/?as_at=27%20April")

    assert response.status_code == 400
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode()) == [
        "Briefing for scrutiny"
    ]


def test_the_briefing_has_one_main_heading(signed_in, kent_medway):
    response = signed_in.get("/briefing/?as_at=2018-04-27")

    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode())
    assert headings == ["Kent and Medway strategic commissioner: position as at 27 April 2018"]


@pytest.mark.parametrize(
    "url",
    [
        "/as-at/?known_at=9999-12-31",
        "/as-at/?as_at=0001-01-01",
        "/chart/?as_at=9999-12-31",
        "/briefing/?as_at=9999-12-31",
        "/briefing/?since=0001-01-01",
    ],
)
def test_dates_beyond_the_record_are_refused_with_a_message(signed_in, kent_medway, url):
    response = signed_in.get(url)

    assert response.status_code == 400
    assert "must be between 1900 and 2100" in response.content.decode()


def test_what_changed_in_the_record_since_a_date(signed_in, kent_medway):
    response = signed_in.get(
        reverse("scrutiny:timeline"), {"ccg": "thanet", "recorded_since": "2018-03-05"}
    )

    titles = [e.title for e in response.context["page"].events]
    # The 27 April paper (003) brought Thanet's joining of 19 March and its new officer.
    assert titles == [
        "Thanet: agreed to join (deciding body not stated)",
        "Thanet: membership status now joined",
        "Glenn Douglas starts as Accountable officer, Thanet CCG",
    ]
    since_april = signed_in.get(reverse("scrutiny:timeline"), {"recorded_since": "2018-04-27"})
    assert since_april.context["page"].events == []
    assert "No events match these filters." in since_april.content.decode()


def test_27_april_overdue_as_now_known_while_the_record_of_19_april_expected_no_date(
    signed_in, kent_medway
):
    response = signed_in.get(
        reverse("scrutiny:as-at"), {"as_at": "2018-04-27", "known_at": "2018-04-19"}
    )

    skc = next(r for r in response.context["rows"] if r["ccg"].name == "South Kent Coast")
    assert skc["differs"]
    page = response.content.decode()
    row = page[page.index('id="ccg-south-kent-coast"') :]
    row = row[: row.index("</tr>")]
    now, then = row.split('data-column="as-recorded"')
    # Now known (the committee paper): decision expected on 19 April, passed by 27 April;
    # the same orange tag as on the staff dashboard.
    assert "Decision expected 19 April 2018" in now
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Overdue for review</strong>' in now
    # As recorded on 19 April: the March article's further meeting, with no date.
    assert "Decision expected" not in then
    assert "Overdue for review" not in then
