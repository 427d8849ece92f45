"""Files for other tools: the timeline as CSV, the meetings and expected decisions as iCalendar."""

import csv
import datetime

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from records.dates import format_fuzzy

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "date",
    "date_precision",
    "date_as_stated",
    "kind",
    "ccg",
    "person",
    "title",
    "detail",
    "recorded_at",
    "sources",
]


def neutralise(value):
    """A cell Excel shows as text, never runs: a leading apostrophe on formula-like text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _source_text(source):
    published = format_fuzzy(source.published, source.published_precision)
    return f"{source.title} ({source.publisher}, {published})"


def timeline_csv(events, filename="timeline.csv"):
    """The events as CSV that Excel opens cleanly: UTF-8 with a byte order mark, ISO dates."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow(
            neutralise(cell)
            for cell in [
                event.date_iso,
                event.date_precision,
                event.date_display,
                event.get_kind_display(),
                event.ccg.name if event.ccg else "",
                event.person_name,
                event.title,
                event.detail,
                timezone.localtime(event.recorded_at).isoformat(timespec="seconds"),
                "; ".join(_source_text(s) for s in event.sources.all()),
            ]
        )
    return response


def _all_day(uid, day, summary, description, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def scrutiny_calendar(*, meetings, expected, pending, host, now):
    """Scrutiny meetings, the dates decisions are expected, and each pending item's review date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kent and Medway commissioning tracker//scrutiny//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kent and Medway strategic commissioner: scrutiny")
    for meeting in meetings:
        state = "CANCELLED" if meeting.cancelled else "held"
        sources = "; ".join(_source_text(s) for s in meeting.sources.all())
        event = _all_day(
            f"meeting-{meeting.pk}@{host}",
            meeting.date,
            f"{meeting.committee}: {meeting.item}" + (" (cancelled)" if meeting.cancelled else ""),
            f"{meeting.outcome}\nMeeting {state}. Sources: {sources}",
            now,
        )
        if meeting.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    for decision in expected:
        calendar.add_component(
            _all_day(
                f"decision-expected-{decision.pk}@{host}",
                decision.expected_date,
                f"{decision.ccg}: decision expected",
                f"{decision.summary}\nExpected "
                f"{format_fuzzy(decision.expected_date, decision.expected_date_precision)}.",
                now,
            )
        )
    for membership in pending:
        if membership.review_by:
            calendar.add_component(
                _all_day(
                    f"review-by-{membership.pk}-{membership.review_by.isoformat()}@{host}",
                    membership.review_by,
                    f"{membership.ccg}: pending membership, review by this date",
                    f"{membership.ccg}'s membership is pending; look at it again by "
                    f"{format_fuzzy(membership.review_by)}.",
                    now,
                )
            )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kent-medway-scrutiny.ics"'
    return response
