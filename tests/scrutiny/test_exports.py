"""The CSV export and the iCalendar feed: files other tools open."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from icalendar import Calendar

from records.models import EventKind
from records.services import timeline_add
from scrutiny.exports import neutralise

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, scrutineer):
    client.force_login(scrutineer)
    return client


def rows_of(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("Thanet joined", "Thanet joined"),
        ("", ""),
        (None, ""),
    ],
)
def test_neutralise_prefixes_formula_like_cells(text, safe):
    assert neutralise(text) == safe


def test_the_csv_is_the_filtered_timeline_with_bom_and_iso_dates(
    signed_in, kent_medway, django_assert_num_queries
):
    # session, user, groups (a role is required), savepoint, CCGs, locality groups, events,
    # their sources, release.
    with django_assert_num_queries(9):
        response = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "thanet", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="timeline.csv"'
    rows = rows_of(response)
    assert {row["ccg"] for row in rows} == {"Thanet"}
    assert len(rows) == 8
    considering = rows[0]
    # A month stays a month: ISO "2018-01" with its precision, never 2018-01-31.
    assert (considering["date"], considering["date_precision"]) == ("2018-01", "by_month")
    assert considering["date_as_stated"] == "by January 2018"
    joined = next(r for r in rows if r["title"] == "Thanet: membership status now joined")
    assert joined["date"] == "2018-03-19"
    assert "Item 4: Kent and Medway Strategic Commissioner" in joined["sources"]
    assert joined["recorded_at"].startswith("2018-04-27T09:03")


def test_the_csv_neutralises_formula_injection_from_the_record(signed_in, kent_medway):
    timeline_add(
        kind=EventKind.SOURCE_PUBLISHED,
        date=datetime.date(2018, 5, 1),
        title='=HYPERLINK("http://example.invalid","click")',
        detail="@SUM(1+1)",
    )

    rows = rows_of(signed_in.get(reverse("scrutiny:timeline"), {"format": "csv"}))

    bad = next(r for r in rows if "HYPERLINK" in r["title"])
    assert bad["title"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert bad["detail"] == "'@SUM(1+1)"
    # Ordinary cells stay as they were.
    assert any(r["title"] == "Thanet: membership status now joined" for r in rows)


def test_the_csv_with_bad_filters_is_refused_with_the_page(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "=cmd", "format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_the_calendar_has_meetings_expected_decisions_and_review_dates(
    signed_in, kent_medway, django_assert_num_queries
):
    # session, user, groups (a role is required), savepoint, meetings, their sources,
    # expected decisions, pending, release.
    with django_assert_num_queries(9):
        response = signed_in.get(reverse("scrutiny:calendar"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {
        (event["SUMMARY"], event.decoded("DTSTART")): event for event in calendar.walk("VEVENT")
    }
    summaries = dict(events.keys())
    hosc = "Kent County Council Health Overview and Scrutiny Committee"
    assert summaries[f"{hosc}: Transforming Health and Care in East Kent"] == datetime.date(
        2018, 1, 26
    )
    cancelled = events[
        (f"{hosc}: Kent and Medway Strategic Commissioner (cancelled)", datetime.date(2018, 3, 2))
    ]
    assert cancelled["STATUS"] == "CANCELLED"
    assert "adverse weather" in cancelled["DESCRIPTION"]
    assert (
        f"{hosc}: Item 4: Kent and Medway Strategic Commissioner",
        datetime.date(2018, 4, 27),
    ) in events
    # South Kent Coast: decision expected after the 22 February GP meeting (002), then 19 April (003).
    expected = sorted(
        start for summary, start in events if summary == "South Kent Coast: decision expected"
    )
    assert expected == [datetime.date(2018, 2, 22), datetime.date(2018, 4, 19)]
    review = events[
        ("South Kent Coast: pending membership, review by this date", datetime.date(2018, 4, 19))
    ]
    assert review.decoded("DTEND") == datetime.date(2018, 4, 20)
    assert len({str(event["UID"]) for event in calendar.walk("VEVENT")}) == len(events)
