"""Files for other tools: the timeline as CSV and as an Excel workbook, the meetings and
expected decisions as iCalendar."""

import csv
import datetime
import io
from collections import defaultdict
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from records.dates import Precision, format_fuzzy
from records.models import EventKind, TimelineEvent

from .links import timeline_event_path

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Plain English for people who open the file, not the code's names.
COLUMNS = [
    "Date",
    "Exact to",
    "Date as stated",
    "What happened",
    "CCG",
    "Person",
    "Event",
    "Detail",
    "Recorded at (UK time)",
]
CSV_COLUMNS = [*COLUMNS, "Sources"]
# The width (in characters) of each column of the workbook, then of each source column.
XLSX_WIDTHS = [12, 26, 22, 24, 22, 20, 50, 60, 18]
SOURCE_WIDTH = 45


def neutralise(value):
    """A cell Excel shows as text, never runs: a leading apostrophe on formula-like text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _source_text(source):
    published = format_fuzzy(source.published, source.published_precision)
    supplied = " [title supplied by this record]" if source.title_supplied else ""
    return f"{source.title}{supplied} ({source.publisher}, {published})"


def spreadsheet_date(day, precision):
    """The date as a spreadsheet should keep it: an exact day in ISO form (a real date to
    Excel and LibreOffice); a vague one as text no spreadsheet can turn into the 1st or the
    last of a month ("2018-01 (month)", "by 2018-02-27"), sorting among the exact ones."""
    if precision == Precision.DAY:
        return day.isoformat()
    if precision == Precision.ON_OR_BEFORE:
        return f"by {day.isoformat()}"
    if precision == Precision.BY_MONTH:
        return f"by {day:%Y-%m}"
    if precision == Precision.MONTH:
        return f"{day:%Y-%m} (month)"
    return f"{day.year} (year)"


def _recorded_local(moment, zone):
    """When the record learnt of it, on the UK clock (``zone``, looked up once a file, not
    once a row), without an offset spreadsheets cannot read."""
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """What csv.writer writes to when each row is handed on rather than kept."""

    def write(self, value):
        return value


CSV_CHUNK = 2000
_EVENT_VALUES = ("pk", "date", "date_precision", "kind", "ccg__name", "person_name", "title")
_EVENT_VALUES += ("detail", "recorded_at")
_SOURCE_VALUES = ("title", "title_supplied", "publisher", "published", "published_precision")


def _plain_events(events):
    """(event values, its sources' text) for each of ``events``, read as plain values two
    thousand at a time with one query for each chunk's sources: model instances would make
    the national timeline (900,000 events) a ten-minute download instead of one of seconds."""
    values = events.select_related(None).prefetch_related(None).values_list(*_EVENT_VALUES)
    chunk = []
    for row in values.iterator(chunk_size=CSV_CHUNK):
        chunk.append(row)
        if len(chunk) == CSV_CHUNK:
            yield from _with_sources(chunk)
            chunk = []
    yield from _with_sources(chunk)


def _with_sources(chunk):
    if not chunk:
        return
    cited = defaultdict(list)
    links = (
        TimelineEvent.sources.through.objects.filter(timelineevent_id__in=[row[0] for row in chunk])
        .order_by("source__published", "source__title")
        .values_list("timelineevent_id", *(f"source__{name}" for name in _SOURCE_VALUES))
    )
    for event_id, *source in links:
        cited[event_id].append(
            _source_text(SimpleNamespace(**dict(zip(_SOURCE_VALUES, source, strict=True))))
        )
    for row in chunk:
        yield dict(zip(_EVENT_VALUES, row, strict=True)), cited[row[0]]


def timeline_csv(events, filename):
    """The events as CSV that Excel opens cleanly (UTF-8 with a byte order mark), written as
    they are read (``_plain_events``), so a national record is never held whole."""
    writer = csv.writer(_Echo())
    kinds, precisions = dict(EventKind.choices), dict(Precision.choices)
    uk = timezone.get_current_timezone()

    def lines():
        for event, sources in _plain_events(events):
            day, precision = event["date"], event["date_precision"]
            recorded = _recorded_local(event["recorded_at"], uk)
            yield writer.writerow(
                neutralise(cell)
                for cell in [
                    spreadsheet_date(day, precision),
                    precisions[precision],
                    format_fuzzy(day, precision),
                    kinds[event["kind"]],
                    event["ccg__name"] or "",
                    event["person_name"],
                    event["title"],
                    event["detail"],
                    recorded.isoformat(sep=" "),
                    "; ".join(sources),
                ]
            )

    def rows():
        # The header at once, before the first query: the download starts (and a proxy sees
        # a first byte) however long the events take to read.
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        # Then a few hundred lines a piece: a piece a line costs more in the response than
        # in CSV.
        piece = []
        for line in lines():
            piece.append(line)
            if len(piece) == 500:
                yield "".join(piece)
                piece = []
        yield "".join(piece)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def _text(sheet, value):
    """A text cell: what staff typed is never a formula, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def timeline_xlsx(events, filename, source_columns):
    """The events as an Excel workbook: real date cells only where the date is exact (shown
    DD/MM/YYYY), the words as stated where it is vague; a frozen header row; each source's
    title a link to it, one column a source."""
    uk = timezone.get_current_timezone()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Timeline")
    sheet.freeze_panes = "A2"
    widths = XLSX_WIDTHS + [SOURCE_WIDTH] * source_columns
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    header = [*COLUMNS, *(f"Source {n}" for n in range(1, source_columns + 1))]
    bold = Font(bold=True)
    cells = [_text(sheet, title) for title in header]
    for cell in cells:
        cell.font = bold
    sheet.append(cells)
    for event in events:
        if event.date_precision == Precision.DAY:
            date = WriteOnlyCell(sheet, value=event.date)
            date.number_format = "DD/MM/YYYY"
        else:
            date = _text(sheet, event.date_display)
        recorded = WriteOnlyCell(sheet, value=_recorded_local(event.recorded_at, uk))
        recorded.number_format = "DD/MM/YYYY HH:MM"
        row = [
            date,
            _text(sheet, event.get_date_precision_display()),
            _text(sheet, event.date_display),
            _text(sheet, event.get_kind_display()),
            _text(sheet, event.ccg.name if event.ccg else ""),
            _text(sheet, event.person_name),
            _text(sheet, event.title),
            _text(sheet, event.detail),
            recorded,
        ]
        for source in event.sources.all():
            cell = _text(sheet, _source_text(source))
            # Linked only where the address is the document itself, as on the pages.
            if source.url and not source.url_description:
                cell.hyperlink = source.url
                cell.style = "Hyperlink"
            row.append(cell)
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(
        content.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, filename)


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


def scrutiny_calendar(*, meetings, expected, pending, domain, absolute, name=None):
    """Scrutiny meetings (busy time), the dates decisions are expected and each pending
    item's review date (free time), named by ``domain`` and the record's own ids, never by
    the host the request came by; ``absolute`` makes the links back to the pages. ``name``:
    the arrangement's, for another than the default (a program lists calendars by name)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kent and Medway commissioning tracker//scrutiny//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{name or 'Kent and Medway strategic commissioner'}: scrutiny")
    calendar.add("x-wr-timezone", "Europe/London")
    for meeting in meetings:
        # Only a cancellation is said: a paper put to a meeting does not show it was held.
        state = "Meeting CANCELLED. " if meeting.cancelled else ""
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
            description=f"{meeting.outcome}\n{state}Sources: {sources}",
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
