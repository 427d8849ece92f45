"""Each arrangement's record is its own (issue 14, "Done when"): the invented East Kent merger
imported beside the 2018 record changes no page or API answer of the 2018 record, and its own
pages show its post, person and claim and none of 2018's meetings, posts, people, conflicts
or CCGs. A CCG added in the admin changes no answer about a day before it was added."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ccgs.models import CCG, Commissioner, LocalityGroup
from decisions.models import Membership
from interchange.importer import import_record_file
from records.models import Source
from scrutiny.selectors import last_change
from scrutiny.subscriptions import subscription_key
from tests.decisions.date_boxes import with_dates
from tests.factories import new_ccg_form, story
from tests.interchange.conftest import EXAMPLE, EXAMPLE_NAME

pytestmark = pytest.mark.django_db

EXAMPLE_SLUG = "east-kent-single-ccg-invented-example"
STORY_NAME = "Kent and Medway strategic commissioner"

# Names the 2018 record holds (its meetings' committees, posts, people, a conflict, a CCG
# the example does not hold): none may show on the example's pages.
FROM_2018 = [
    "Health Overview and Scrutiny Committee",  # its meetings
    "Accountable officer (strategic commissioner)",
    "Director of corporate services",
    "STP programme director",
    "Glenn Douglas",
    "Hazel Smith",
    "Lizzy Adam",
    "The sources disagree",  # the conflict box and tags
    "South Kent Coast",
    "Stroke review",  # a function it placed
]
# What the example brings: its post, its person and the event its source announces.
FROM_THE_EXAMPLE = [
    "Merger programme director (invented example)",
    "Alex Example (invented)",
    "Invented example: the single CCG could start",
]


def addresses(user):
    """Every page, export and API answer of the 2018 record (the default arrangement): those
    that depend on a date at several dates, the subscription addresses, each CCG's page."""
    key = subscription_key(user)
    return [
        "/",
        "/?as_at=2018-03-13",
        "/?as_at=2018-03-13&known_at=2018-03-13",
        "/?as_at=2019-02-01",
        "/as-at/?as_at=2018-03-13&known_at=2018-03-01",
        "/as-at/?as_at=2019-02-01&known_at=2018-04-30",
        "/briefing/",
        "/briefing/?as_at=2018-04-27",
        "/briefing/?as_at=2019-02-01&since=2018-01-01",
        "/timeline/",
        "/timeline/?date_from=2018-10-01",
        "/timeline/?format=csv",
        "/api/timeline/",
        "/api/timeline/?kind=source_published",
        "/api/membership/",
        "/api/membership/?as_at=2018-03-13&known_at=2018-03-13",
        "/api/membership/?as_at=2019-02-01",
        "/api/popolo/",
        "/api/popolo/?as_at=2018-04-27",
        "/api/popolo/?as_at=2019-02-01",
        "/timeline/feed/",
        "/calendar.ics",
        "/calendar.ics?since=2017-01-01",
        reverse("scrutiny:calendar-subscription", args=[key]),
        reverse("scrutiny:feed-subscription", args=[key]),
        "/team/",
        "/team/?as_at=2018-04-27",
        "/team/?as_at=2019-02-01",
        "/functions/",
        "/functions/?as_at=2019-02-01",
        "/chart/",
        "/search/?q=director",
        "/search/?q=example",
        "/search/?q=alex",
        "/search/?q=merger",
        "/search/?q=thanet",
        *[f"/ccgs/{slug}/" for slug in CCG.objects.order_by("pk").values_list("slug", flat=True)],
    ]


def fetched(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def workbook(client, address):
    """A workbook as its cells (values and links): the file's own metadata holds the moment it
    was written, which is not the record."""
    book = openpyxl.load_workbook(io.BytesIO(client.get(address).content))
    return [
        [(cell.value, cell.hyperlink.target if cell.hyperlink else None) for cell in row]
        for sheet in book
        for row in sheet.iter_rows()
    ]


# What every page says of the arrangement it shows once the record holds more than one: the
# "This page shows ... Show this page for: ..." box and the arrangement named where one
# arrangement's pages said "the strategic commissioner" (README, "More than one
# arrangement"). That is the point of adding an arrangement, not a change to the 2018 record.
SIGNPOSTS = [
    (re.compile(r'<nav [^>]*data-testid="arrangement-switch">.*?</nav>', re.S), ""),
    (f"Membership of {STORY_NAME}", "Membership of the strategic commissioner"),
    (f"had joined the {STORY_NAME} on", "had joined the strategic commissioner on"),
    (f"Membership status ({STORY_NAME})", "Membership status"),
    (f"The own posts of {STORY_NAME}", "The strategic commissioner's own posts"),
]


def assert_same_answers(after, before):
    """Every address answers as before. Exports, APIs, the feed and the calendar: the same
    bytes. Pages: the same but for the signposts of a record of several arrangements."""
    for address, answer in after.items():
        page = answer.lstrip().startswith("<!DOCTYPE")
        assert_same(
            normalised(answer, signposts=page),
            normalised(before[address], signposts=page),
            address,
        )


def normalised(text, *, signposts):
    """``text`` less what differs from request to request (the form's CSRF token, the CSP
    nonce) and, for a page (``signposts``), the signposts above, with its runs of white space
    (which HTML does not show) as one space."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'nonce="[^"]+"', "", text)
    if signposts:
        for pattern, replacement in SIGNPOSTS:
            if isinstance(pattern, str):
                text = text.replace(pattern, replacement)
            else:
                text = pattern.sub(replacement, text)
        text = " ".join(text.split())
    return text


def assert_same(after, before, address):
    """``after`` is ``before``; else say where they part, with some of each."""
    if after == before:
        return
    at = next(
        (i for i, (a, b) in enumerate(zip(after, before, strict=False)) if a != b),
        min(len(after), len(before)),
    )
    raise AssertionError(
        f"{address} changed at {at}:\n before: {before[at - 120 : at + 240]!r}\n"
        f" after:  {after[at - 120 : at + 240]!r}"
    )


def answers(client, where):
    return {address: fetched(client, address) for address in where}


def test_importing_the_example_changes_no_page_or_answer_of_the_2018_record(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)
    where = addresses(scrutineer)
    before = answers(client, where)
    before_xlsx = workbook(client, "/timeline/?format=xlsx")

    import_record_file(EXAMPLE)
    after = answers(client, where)

    assert_same_answers(after, before)
    for address in where:
        for name in FROM_THE_EXAMPLE:
            assert name not in after[address], (address, name)
    assert workbook(client, "/timeline/?format=xlsx") == before_xlsx
    # The pages do say which arrangement they show now, and offer the other.
    assert 'data-testid="arrangement-switch"' in after["/"]
    assert f"?arrangement={EXAMPLE_SLUG}" in after["/team/"]


@pytest.fixture
def example(kent_medway):
    import_record_file(EXAMPLE)
    return Commissioner.objects.get(slug=EXAMPLE_SLUG)


def test_the_examples_pages_show_its_own_post_person_and_claim_and_nothing_of_2018s(
    client, example, scrutineer
):
    client.force_login(scrutineer)
    pages = {
        address: fetched(client, f"{address}{'&' if '?' in address else '?'}{query}")
        for address, query in [
            ("/", f"arrangement={EXAMPLE_SLUG}"),
            ("/?as_at=2019-02-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/team/?as_at=2019-02-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/functions/?as_at=2019-02-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/briefing/?as_at=2019-02-01&since=2018-01-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/as-at/?as_at=2019-02-01&known_at=2018-12-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/timeline/", f"arrangement={EXAMPLE_SLUG}"),
            ("/timeline/?format=csv", f"arrangement={EXAMPLE_SLUG}"),
            ("/api/timeline/", f"arrangement={EXAMPLE_SLUG}"),
            ("/api/popolo/?as_at=2019-02-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/timeline/feed/", f"arrangement={EXAMPLE_SLUG}"),
            ("/calendar.ics?since=2017-01-01", f"arrangement={EXAMPLE_SLUG}"),
            ("/chart/", f"arrangement={EXAMPLE_SLUG}"),
            ("/search/?q=director", f"arrangement={EXAMPLE_SLUG}"),
            ("/search/?q=alex", f"arrangement={EXAMPLE_SLUG}"),
            ("/search/?q=glenn", f"arrangement={EXAMPLE_SLUG}"),
            ("/search/?q=lizzy", f"arrangement={EXAMPLE_SLUG}"),
            ("/ccgs/thanet/", f"arrangement={EXAMPLE_SLUG}"),
            ("/ccgs/ashford/", f"arrangement={EXAMPLE_SLUG}"),
        ]
    }

    for address, text in pages.items():
        for name in FROM_2018:
            assert name not in text, (address, name)
    team = pages["/team/?as_at=2019-02-01"]
    assert "Merger programme director (invented example)" in team
    assert "Alex Example (invented)" in team
    assert "Invented example: the single CCG could start" in pages["/functions/?as_at=2019-02-01"]
    assert "Merger programme director (invented example)" in pages["/search/?q=director"]
    assert "Alex Example (invented)" in pages["/search/?q=alex"]
    popolo = client.get("/api/popolo/", {"as_at": "2019-02-01", "arrangement": EXAMPLE_SLUG}).json()
    assert [person["name"] for person in popolo["persons"]] == ["Alex Example (invented)"]
    assert [o["id"] for o in popolo["organizations"] if o["id"].startswith("arrangement/")] == [
        f"arrangement/{EXAMPLE_SLUG}"
    ]
    assert {post["label"] for post in popolo["posts"]} == {
        "Merger programme director (invented example)",
        "Accountable officer, Ashford CCG",
        "Accountable officer, Canterbury and Coastal CCG",
        "Accountable officer, Thanet CCG",
    }
    # Its timeline is its own file's events, no 2018 meeting, source or role among them.
    events = client.get("/api/timeline/", {"arrangement": EXAMPLE_SLUG}).json()["events"]
    assert [event["title"] for event in events] == [
        "Published: Proposal for a single East Kent CCG (invented example, not a real document)",
        "Alex Example (invented) starts as Merger programme director (invented example)",
        "Ashford: agreed to join (governing body)",
        "Ashford: membership status now joined",
        "Published: Ashford CCG governing body minutes, 14 November 2018 (invented example, "
        "not a real document)",
        "Published: Merger update (invented example, not a real document)",
        "Canterbury and Coastal: agreed to join (governing body)",
        "Canterbury and Coastal: membership status now joined",
        "Thanet: asked for more information; decision deferred (GP membership)",
        "Thanet: membership status now pending",
        "Invented example: the single CCG could start",
    ]


def test_last_changed_reads_the_assignments_of_the_arrangement_shown_only(example):
    # The example's record learnt of Alex Example's post at 09:10 on 20 November 2018, after
    # everything the 2018 record holds, and after its own decision that morning.
    alex_in_post = timezone.make_aware(datetime.datetime(2018, 11, 20, 9, 10))

    in_2018 = last_change(datetime.date(2018, 11, 25), story())
    in_the_example = last_change(datetime.date(2018, 11, 25), example)

    assert in_2018.when < datetime.datetime(2018, 6, 1, tzinfo=datetime.UTC)
    assert in_2018.who == "Demo data (from the 2018 sources)"
    assert in_the_example.when == alex_in_post
    assert in_the_example.who == "Invented example (not a real record)"


def test_the_dashboard_says_who_changed_the_2018_record_last_whatever_the_example_did(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)
    before = re.search(r'id="last-change">([^<]*)<', fetched(client, "/")).group(1)

    import_record_file(EXAMPLE)

    assert re.search(r'id="last-change">([^<]*)<', fetched(client, "/")).group(1) == before
    assert "Demo data (from the 2018 sources)" in before


def add_ccg_in_the_admin(client, admin):
    """Medway South, added in the admin today: it joins the 2018 arrangement, no record yet."""
    client.force_login(admin)
    response = client.post(
        "/admin/ccgs/ccg/add/", new_ccg_form(LocalityGroup.objects.get(slug="east-kent"))
    )
    assert response.status_code == 302
    client.get(response.url)  # where the admin goes next, which shows "added successfully"


def test_a_ccg_added_in_the_admin_today_changes_no_answer_about_2018_and_can_be_recorded(
    client, kent_medway, admin, scrutineer, staff
):
    client.force_login(scrutineer)
    in_2018 = [
        "/?as_at=2018-03-13&known_at=2018-03-13",
        "/api/membership/?as_at=2018-03-13&known_at=2018-03-13",
        "/api/membership/?as_at=2018-03-13",
        "/api/popolo/?as_at=2018-03-13&known_at=2018-03-13",
        "/as-at/?as_at=2018-03-13&known_at=2018-03-13",
        "/briefing/?as_at=2018-03-13&known_at=2018-03-13",
    ]
    before = answers(client, in_2018)

    add_ccg_in_the_admin(client, admin)
    client.force_login(scrutineer)

    after = answers(client, in_2018)
    assert_same_answers(after, before)
    assert "6 of 8 CCGs have joined" in after["/?as_at=2018-03-13&known_at=2018-03-13"]
    # In effect on 13 March 2018 as the record stands now: the same CCGs (the record's last
    # change, the new CCG's membership, is today's).
    in_effect = fetched(client, "/?as_at=2018-03-13")
    assert "6 of 8 CCGs have joined" in in_effect
    assert "Medway South" not in in_effect
    # Today the record holds it, with no record yet of its decisions.
    today = fetched(client, "/")
    assert "7 of 9 CCGs have joined" in today
    row = " ".join(today.split('data-ccg="medway-south"')[1].split("</tr>")[0].split())
    assert "Medway South</a></th>" in row
    assert "Not yet recorded" in row
    members = client.get("/api/membership/").json()["members"]
    assert {m["ccg"]: m["status"] for m in members}["Medway South"] is None
    # Today, as recorded in 2018: in the record now, not then.
    compared = client.get("/as-at/", {"known_at": "2018-03-13"})
    assert compared.status_code == 200
    (row,) = [row for row in compared.context["rows"] if row["ccg"].slug == "medway-south"]
    assert (row["now"].status, row["then"].status, row["differs"]) == (None, None, False)
    # Its decision form works at once.
    record_a_decision_in_the_browser(client, staff)


def record_a_decision_in_the_browser(client, staff):
    client.force_login(staff)
    membership = Membership.objects.get(ccg__slug="medway-south")

    form = client.get("/ccgs/medway-south/decisions/new/")
    recorded = client.post(
        "/ccgs/medway-south/decisions/new/",
        with_dates(
            {
                "body": "governing_body",
                "outcome": "deferred",
                "meeting_date": "",
                "meeting_date_precision": "day",
                "effective_date": "",
                "effective_date_precision": "day",
                "expected_date": f"{timezone.localdate().year + 1}-12",
                "expected_date_precision": "month",
                "summary": "The governing body asked for more information.",
                "source": str(Source.objects.get(key="003").pk),
                "new_source_published_precision": "day",
                "reason": "Minutes of its first meeting",
                "version": str(membership.version),
            }
        ),
    )

    assert form.status_code == 200
    assert "Record a decision" in form.content.decode()
    assert recorded.status_code == 302, recorded.content.decode()
    membership.refresh_from_db()
    assert membership.status == "pending"
    events = client.get("/api/timeline/", {"ccg": "medway-south"}).json()["events"]
    assert [event["title"] for event in events] == [
        "Medway South: asked for more information; decision deferred (governing body)",
        "Medway South: membership status now pending",
    ]


def test_what_is_added_in_the_browser_or_the_admin_joins_the_arrangement_chosen(
    client, example, admin, staff
):
    client.force_login(staff)
    arrangement = {"arrangement": EXAMPLE_SLUG}
    source = client.post(
        f"/sources/new/?arrangement={EXAMPLE_SLUG}",
        with_dates(
            {
                "title": "Merger programme board minutes (invented for the tests)",
                "publisher": "Invented",
                "published": "2019-01-31",
                "published_precision": "day",
                "published_note": "",
                "url": "",
                "quote": "The board met.",
            }
        ),
    )
    function = client.post(
        f"/functions/add/?arrangement={EXAMPLE_SLUG}",
        {
            "name": "Stroke review",  # 2018's has this name too: each arrangement its own
            "description": "",
            "level": "kent_and_medway",
            "since_day": "31",
            "since_month": "1",
            "since_year": "2019",
            "since_precision": "day",
            "placed_by": "Merger programme board, January 2019",
            "sources": [Source.objects.get(key="ex-3").pk],
            "reason": "The board placed it",
        },
    )
    client.force_login(admin)
    meeting = client.post(
        "/admin/scrutiny/scrutinymeeting/add/",
        {
            "commissioner": example.pk,
            "committee": "East Kent joint scrutiny (invented for the tests)",
            "date": "2019-02-05",
            "item": "The merger",
            "outcome": "",
            "sources": [Source.objects.get(key="ex-3").pk],
            "change_reason": "Agenda published",
        },
    )

    assert (source.status_code, function.status_code, meeting.status_code) == (302, 302, 302)
    client.force_login(staff)
    titles = [
        event["title"]
        for event in client.get(
            "/api/timeline/", {**arrangement, "date_from": "2019-01-31", "date_to": "2019-02-28"}
        ).json()["events"]
    ]
    assert titles == [
        "Published: Merger programme board minutes (invented for the tests)",
        "Stroke review: placed at level ‘Kent and Medway wide’",
        "East Kent joint scrutiny (invented for the tests) meeting: The merger",
    ]
    in_2018 = {"date_from": "2019-01-31", "date_to": "2019-02-28"}
    assert client.get("/api/timeline/", in_2018).json()["events"] == []
    assert "East Kent joint scrutiny" in fetched(
        client, f"/calendar.ics?arrangement={EXAMPLE_SLUG}"
    )
    assert "East Kent joint scrutiny" not in fetched(client, "/calendar.ics?since=2017-01-01")
    # The admin's add form offers the default arrangement first.
    client.force_login(admin)
    form = fetched(client, "/admin/scrutiny/scrutinymeeting/add/")
    assert re.search(rf'<option value="{story().pk}" selected>', form)


def words(html):
    """The page as a reader sees it: its text, runs of white space as one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_examples_team_functions_and_dashboard_say_no_2018_fact(client, example, scrutineer):
    client.force_login(scrutineer)
    arrangement = f"arrangement={EXAMPLE_SLUG}"

    team = words(fetched(client, f"/team/?as_at=2019-02-01&{arrangement}"))
    functions = words(fetched(client, f"/functions/?as_at=2019-02-01&{arrangement}"))
    dashboard = words(fetched(client, f"/?as_at=2019-02-01&{arrangement}"))

    # Its record names no accountable officer: that is said plainly, with no alarm.
    assert "No accountable officer" not in team
    assert "a statutory body needs one" not in team
    assert "Thanet CCG None recorded in this arrangement's record." in team
    # It has no proposed structure, STP roles, functions or remit in the sources' words.
    for text in ("Eight CCGs consider merger across STP", "Proposed structure", "STP roles"):
        assert text not in team, text
    assert "posts filled" not in team
    assert "strategic commissioner's own posts" not in team
    assert f"The own posts of {EXAMPLE_NAME} on 1 February 2019." in team
    assert "The design workshops of March to May 2018" not in functions
    assert "What the strategic commissioner would and would not do" not in functions
    assert "posts filled" not in dashboard
    assert "No posts recorded in a proposed structure of a shared management team." in dashboard


def test_the_2018_team_and_functions_read_as_they_did_beside_the_example(
    client, example, scrutineer
):
    client.force_login(scrutineer)

    team = words(fetched(client, "/team/?as_at=2018-03-01&known_at=2018-03-05"))
    functions = words(fetched(client, "/functions/?as_at=2018-01-01"))

    # Read from the record: the source every proposed post cites, the post of two seats.
    assert (
        "The proposed interim structure (source: “Eight CCGs consider merger across STP”) "
        "counted seat by seat: the two directors of finance are one post with two seats."
    ) in team
    assert "STP roles" in team
    assert "Thanet CCG No accountable officer No accountable officer on this date: a statutory" in (
        team
    )
    # None placed yet on the day, but the record places functions: the workshops decide them.
    assert "No function had been placed at a level by 1 January 2018." in functions
    assert "The design workshops of March to May 2018 decide the rest" in functions
    assert "What the strategic commissioner would and would not do" in functions
