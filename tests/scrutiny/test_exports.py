"""The CSV export and the iCalendar feed: files other tools open."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from records.models import EventKind, Source
from records.services import timeline_add
from scrutiny.exports import neutralise
from scrutiny.models import ScrutinyMeeting
from scrutiny.services import scrutiny_meeting_record
from tests.factories import story

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, scrutineer):
    client.force_login(scrutineer)
    return client


def rows_of(response):
    body = b"".join(response.streaming_content).decode("utf-8")
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


def test_the_csv_download_starts_with_its_header_before_any_event_is_read(
    signed_in, kent_medway, django_assert_num_queries
):
    """A national timeline takes seconds to read; the header goes first, so the download
    (and a proxy waiting for a first byte) starts at once."""
    response = signed_in.get(reverse("scrutiny:timeline"), {"format": "csv"})
    pieces = iter(response.streaming_content)

    with django_assert_num_queries(0):
        first = next(pieces).decode("utf-8")
    rest = b"".join(pieces).decode("utf-8")

    # The header line alone (its columns are the next test's), then the events.
    assert first.startswith("\ufeffDate,Exact to,") and first.endswith(",Sources\r\n")
    assert first.count("\n") == 1
    assert "Thanet" in rest


def test_the_csv_is_the_filtered_timeline_in_plain_english_streamed(
    signed_in, kent_medway, django_assert_num_queries
):
    # session, user, groups (a role is required), savepoint, CCGs, locality groups, release;
    # then, as the file is sent: the events and their sources (one query each per 500 events).
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(10):
        response = signed_in.get(
            reverse("scrutiny:timeline"),
            {"ccg": "thanet", "known_at": "2018-04-30", "format": "csv"},
        )
        rows = rows_of(response)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="timeline-thanet-2018-04-30.csv"'
    )
    assert list(rows[0]) == [
        "Date",
        "Exact to",
        "Date as stated",
        "What happened",
        "CCG",
        "Person",
        "Event",
        "Detail",
        "Recorded at (UK time)",
        "Sources",
    ]
    assert {row["CCG"] for row in rows} == {"Thanet"}
    assert len(rows) == 7
    opted_out = rows[0]
    # A vague date is text no spreadsheet turns into a day, with how exact it is beside it.
    assert opted_out["Date"] == "by 2018-02-27"
    assert opted_out["Exact to"] == "On or before the day given"
    assert opted_out["Date as stated"] == "by 27 February 2018"
    joined = next(r for r in rows if r["Event"] == "Thanet: membership status now joined")
    assert (joined["Date"], joined["Exact to"]) == ("2018-03-19", "Exact day")
    assert "Item 4: Kent and Medway Strategic Commissioner" in joined["Sources"]
    # UK time, no offset: recorded at 09:03 on 27 April 2018 (summer time).
    assert joined["Recorded at (UK time)"] == "2018-04-27 09:03:00"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({}, "timeline-2018-03-13.csv"),
        (
            {"locality": "east-kent", "kind": ["decision", "status_change"]},
            "timeline-east-kent-decision-status-change-2018-03-13.csv",
        ),
        (
            {"date_from": "2018-02-01", "date_to": "2018-02-28"},
            "timeline-from-2018-02-01-to-2018-02-28-2018-03-13.csv",
        ),
    ],
)
def test_the_download_is_named_after_its_filters_and_date(
    signed_in, kent_medway, monkeypatch, query, name
):
    monkeypatch.setattr(
        "scrutiny.views.timezone.localdate", lambda *args: datetime.date(2018, 3, 13)
    )

    response = signed_in.get(reverse("scrutiny:timeline"), {**query, "format": "csv"})

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_the_timeline_page_offers_both_downloads_with_its_filters(signed_in, kent_medway):
    page = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "thanet"}).content.decode()

    assert 'href="/timeline/?ccg=thanet&amp;format=xlsx" download>as an Excel workbook' in page
    assert 'href="/timeline/?ccg=thanet&amp;format=csv" download>as CSV' in page


def test_the_workbook_has_real_dates_only_where_exact_and_sources_as_links(
    signed_in, kent_medway, django_assert_num_queries
):
    # session, user, groups, savepoint, CCGs, locality groups, the most sources an event
    # cites, events, their sources, release.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(11):
        response = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "thanet", "format": "xlsx"})

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="timeline-thanet-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Timeline"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Date", "Exact to", "Date as stated", "What happened"]
    assert header[9:] == ["Source 1"]  # each of Thanet's events cites one source
    assert sheet.column_dimensions["G"].width == 50
    rows = {row[6].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 7

    joined = rows["Thanet: membership status now joined"]
    assert joined[0].is_date and joined[0].value == datetime.datetime(2018, 3, 19)
    assert joined[0].number_format == "DD/MM/YYYY"
    # A month is words, never the 1st or the last of it.
    opted_out = next(row for row in rows.values() if row[1].value != "Exact day")
    assert opted_out[0].data_type == "s" and opted_out[0].value == "by 27 February 2018"
    recorded = joined[8]
    assert recorded.is_date and recorded.value == datetime.datetime(2018, 4, 27, 9, 3)
    source = joined[9]
    assert source.value.startswith("Item 4: Kent and Medway Strategic Commissioner")
    # 003's address leads to the paper's background document, not the paper: not linked.
    assert Source.objects.get(key="003").url_description
    assert source.hyperlink is None
    linked = [
        cell
        for row in rows.values()
        for cell in row[9:]
        if cell.value and cell.hyperlink is not None
    ]
    for cell in linked:
        assert Source.objects.get(url=cell.hyperlink.target).url_description == ""


def test_the_workbook_never_runs_what_staff_typed(signed_in, kent_medway):
    timeline_add(
        commissioner=story(),
        kind=EventKind.SOURCE_PUBLISHED,
        date=datetime.date(2018, 5, 1),
        title='=HYPERLINK("http://example.invalid","click")',
    )

    response = signed_in.get(reverse("scrutiny:timeline"), {"format": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Timeline"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in row[6].value)
    assert cell.data_type == "s"


def test_a_month_stays_a_month_in_the_csv(signed_in, kent_medway):
    rows = rows_of(signed_in.get(reverse("scrutiny:timeline"), {"format": "csv"}))

    # The committee paper is "April 2018": a month, never 30 April.
    (paper,) = [
        r for r in rows if r["Event"] == "Published: Item 4: Kent and Medway Strategic Commissioner"
    ]
    assert (paper["Date"], paper["Date as stated"]) == ("2018-04 (month)", "April 2018")


def test_the_csv_neutralises_formula_injection_from_the_record(signed_in, kent_medway):
    timeline_add(
        commissioner=story(),
        kind=EventKind.SOURCE_PUBLISHED,
        date=datetime.date(2018, 5, 1),
        title='=HYPERLINK("http://example.invalid","click")',
        detail="@SUM(1+1)",
    )

    rows = rows_of(signed_in.get(reverse("scrutiny:timeline"), {"format": "csv"}))

    bad = next(r for r in rows if "HYPERLINK" in r["Event"])
    assert bad["Event"] == '\'=HYPERLINK("http://example.invalid","click")'
    assert bad["Detail"] == "'@SUM(1+1)"
    # Ordinary cells stay as they were.
    assert any(r["Event"] == "Thanet: membership status now joined" for r in rows)


def test_the_csv_with_bad_filters_is_refused_with_the_page(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:timeline"), {"ccg": "=cmd", "format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_the_calendar_has_meetings_expected_decisions_and_review_dates(
    signed_in, kent_medway, django_assert_num_queries
):
    # session, user, groups (a role is required), savepoint, the last meeting (where the
    # window starts), meetings, their sources, expected decisions, pending, release.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(11):
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


def read_calendar(client, **headers):
    """The calendar as a second library (vobject) reads it, as a calendar program would."""
    response = client.get(reverse("scrutiny:calendar"), **headers)
    assert response.status_code == 200
    return vobject.readOne(response.content.decode("utf-8"))


def events_by_summary(calendar):
    return {event.summary.value: event for event in calendar.vevent_list}


HOSC = "Kent County Council Health Overview and Scrutiny Committee"


def test_a_calendar_subscribed_under_two_host_names_shows_each_event_once(
    signed_in, kent_medway, settings
):
    settings.SITE_DOMAIN = "tracker.example.org"

    by_name = read_calendar(signed_in, HTTP_HOST="localhost")
    by_address = read_calendar(signed_in, HTTP_HOST="127.0.0.1")

    uids = sorted(event.uid.value for event in by_name.vevent_list)
    assert uids == sorted(event.uid.value for event in by_address.vevent_list)
    assert len(set(uids)) == len(uids) == 6
    # Named by the configured domain and the record's own ids.
    first_meeting = ScrutinyMeeting.objects.order_by("date").first()
    assert f"meeting-{first_meeting.pk}@tracker.example.org" in uids
    assert all(uid.endswith("@tracker.example.org") for uid in uids)


def test_fetching_the_calendar_again_changes_no_event(signed_in, kent_medway):
    first = read_calendar(signed_in)
    second = read_calendar(signed_in)

    stamps = {event.uid.value: event.dtstamp.value for event in first.vevent_list}
    assert stamps == {event.uid.value: event.dtstamp.value for event in second.vevent_list}
    # Each event is stamped when the record last changed it: the 27 April meeting was
    # recorded at 14:00 that day (13:00 UTC), the expected decisions when their sources came.
    held = events_by_summary(first)[f"{HOSC}: Item 4: Kent and Medway Strategic Commissioner"]
    assert held.dtstamp.value == datetime.datetime(2018, 4, 27, 13, tzinfo=datetime.UTC)
    assert max(stamps.values()) < datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)


def test_meetings_are_busy_time_and_expected_decisions_free_each_linking_to_its_page(
    signed_in, kent_medway
):
    events = events_by_summary(read_calendar(signed_in))

    held = events[f"{HOSC}: Item 4: Kent and Medway Strategic Commissioner"]
    assert held.transp.value == "OPAQUE"
    cancelled = events[f"{HOSC}: Kent and Medway Strategic Commissioner (cancelled)"]
    assert cancelled.transp.value == "TRANSPARENT"
    expected = [e for s, e in events.items() if s.endswith("decision expected")]
    review = events["South Kent Coast: pending membership, review by this date"]
    assert expected and all(e.transp.value == "TRANSPARENT" for e in [*expected, review])
    assert review.url.value == "http://testserver/ccgs/south-kent-coast/"
    assert expected[0].url.value == "http://testserver/ccgs/south-kent-coast/"
    # The meeting's link opens the timeline with the meeting at the top.
    page = signed_in.get(held.url.value)
    assert (
        page.context["page"]
        .events[0]
        .title.endswith("meeting: Item 4: Kent and Medway Strategic Commissioner")
    )
    # The sources give no time or place for any meeting: all day, and no location.
    assert held.dtstart.value == datetime.date(2018, 4, 27)
    assert not hasattr(held, "location")
    assert not hasattr(read_calendar(signed_in), "vtimezone")


def test_a_meeting_with_a_time_and_place_is_at_that_time_in_london(signed_in, kent_medway, admin):
    scrutiny_meeting_record(
        commissioner=story(),
        committee="Medway Council Health and Adult Social Care Overview and Scrutiny Committee",
        date=datetime.date(2018, 6, 19),
        starts_at=datetime.time(18, 30),
        ends_at=datetime.time(20, 0),
        location="St George's Centre, Chatham Maritime",
        cancelled=False,
        item="Kent and Medway strategic commissioner",
        sources=[Source.objects.get(key="003")],
        reason="Agenda published",
        user=admin,
    )

    calendar = read_calendar(signed_in)

    meeting = next(e for e in calendar.vevent_list if e.summary.value.startswith("Medway"))
    assert meeting.location.value == "St George's Centre, Chatham Maritime"
    assert meeting.dtstart.value == datetime.datetime(
        2018, 6, 19, 18, 30, tzinfo=ZoneInfo("Europe/London")
    )
    assert meeting.dtstart.value.astimezone(datetime.UTC).hour == 17  # summer time
    assert meeting.dtend.value - meeting.dtstart.value == datetime.timedelta(minutes=90)
    assert calendar.vtimezone.tzid.value == "Europe/London"
    raw = signed_in.get(reverse("scrutiny:calendar")).content.decode()
    assert "DTSTART;TZID=Europe/London:20180619T183000" in raw
    assert meeting.transp.value == "OPAQUE"


def _meeting_days(response):
    calendar = Calendar.from_ical(response.content)
    return sorted(
        event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
        if "Scrutiny Committee" in str(event["SUMMARY"])
    )


def test_the_calendar_holds_a_year_back_from_its_last_meeting_and_more_when_asked(
    signed_in, kent_medway, admin
):
    # A meeting two years after the 2018 ones: the default window starts a year before it.
    scrutiny_meeting_record(
        commissioner=story(),
        committee="Kent County Council Health Overview and Scrutiny Committee",
        date=datetime.date(2020, 1, 31),
        cancelled=False,
        item="Item 5: an update",
        sources=[Source.objects.get(key="003")],
        reason="Agenda published",
        user=admin,
    )

    default = _meeting_days(signed_in.get(reverse("scrutiny:calendar")))
    everything = _meeting_days(signed_in.get(reverse("scrutiny:calendar"), {"since": "2018-01-01"}))

    assert [str(day)[:10] for day in default] == ["2020-01-31"]
    assert len(everything) > 1 and str(everything[0])[:10].startswith("2018-01")


def test_a_calendar_window_that_is_not_a_date_is_refused_with_a_message(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:calendar"), {"since": "last year"})

    assert response.status_code == 400
    assert "The 'since' date must be a date written YYYY-MM-DD" in response.content.decode()
