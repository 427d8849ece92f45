"""Files for other tools: the timeline as CSV, the meetings and expected decisions as iCalendar."""

import csv
import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from records.dates import format_fuzzy

from .links import timeline_event_path

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


LONDON = ZoneInfo("Europe/London")


def _event(*, uid, stamp, day, summary, description, url, busy, starts_at=None, ends_at=None):
    """One calendar event: at its time (London) where the record gives one, else all day.

    ``stamp`` is when the record last changed it, so a calendar program fetching twice
    sees the same event, not a new version each time.
    """
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    if starts_at:
        event.add("dtstart", datetime.datetime.combine(day, starts_at, tzinfo=LONDON))
        if ends_at:
            event.add("dtend", datetime.datetime.combine(day, ends_at, tzinfo=LONDON))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return event


def scrutiny_calendar(*, meetings, expected, pending, domain, absolute):
    """Scrutiny meetings (busy time), the dates decisions are expected and each pending
    item's review date (free time), named by ``domain`` and the record's own ids, never by
    the host the request came by; ``absolute`` makes the links back to the pages."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kent and Medway commissioning tracker//scrutiny//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kent and Medway strategic commissioner: scrutiny")
    calendar.add("x-wr-timezone", "Europe/London")
    for meeting in meetings:
        state = "CANCELLED" if meeting.cancelled else "held"
        sources = "; ".join(_source_text(s) for s in meeting.sources.all())
        page = (
            timeline_event_path(meeting.event_id, meeting.event_sort_date)
            if meeting.event_id
            else reverse("scrutiny:chart")
        )
        event = _event(
            uid=f"meeting-{meeting.pk}@{domain}",
            stamp=meeting.last_changed,
            day=meeting.date,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            summary=f"{meeting.committee}: {meeting.item}"
            + (" (cancelled)" if meeting.cancelled else ""),
            description=f"{meeting.outcome}\nMeeting {state}. Sources: {sources}",
            url=absolute(page),
            busy=not meeting.cancelled,
        )
        if meeting.location:
            event.add("location", meeting.location)
        if meeting.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    for decision in expected:
        calendar.add_component(
            _event(
                uid=f"decision-expected-{decision.pk}@{domain}",
                stamp=decision.recorded_at,
                day=decision.expected_date,
                summary=f"{decision.ccg}: decision expected",
                description=f"{decision.summary}\nExpected "
                f"{format_fuzzy(decision.expected_date, decision.expected_date_precision)}.",
                url=absolute(decision.get_absolute_url()),
                busy=False,
            )
        )
    for membership in pending:
        if membership.review_by:
            calendar.add_component(
                _event(
                    uid=f"review-by-{membership.pk}-{membership.review_by.isoformat()}@{domain}",
                    stamp=membership.last_changed,
                    day=membership.review_by,
                    summary=f"{membership.ccg}: pending membership, review by this date",
                    description=f"{membership.ccg}'s membership is pending; look at it again by "
                    f"{format_fuzzy(membership.review_by)}.",
                    url=absolute(reverse("scrutiny:ccg", args=[membership.ccg.slug])),
                    busy=False,
                )
            )
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kent-medway-scrutiny.ics"'
    return response
