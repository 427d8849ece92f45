"""The membership swimlane chart, laid out on the server so the page needs no JavaScript.

Colours come from CSS classes (print.css and scrutiny.css) and, for a saved SVG
opened on its own, from fill attributes; the table beside it says the same in words.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe

from decisions.models import MembershipStatus
from records.dates import format_fuzzy

WIDTH = 960
LABEL_WIDTH = 240
RIGHT_MARGIN = 20
TOP = 44
LANE_HEIGHT = 34
BAR_HEIGHT = 20
MEETING_ROW = 16
MARGIN_DAYS = 15
# Text is measured before any browser sees it: a generous average glyph width (Frutiger
# and Arial run at about 0.5 em), so a label given room here has room on the page.
GLYPH_EM = 0.62
GAP = 8
# The table beside the chart lists each CCG's latest periods and decisions; a CCG that
# changed thousands of times has them all on its own page.
LISTED = 20
# A decision marker is a diamond this far from its centre each way.
MARKER_RADIUS = 6

STATUS_FILL = {
    MembershipStatus.CONSIDERING: "#aeb7bd",
    MembershipStatus.PENDING: "#ffb81c",
    MembershipStatus.OPTED_OUT: "#d5281b",
    MembershipStatus.JOINED: "#007f3b",
}


def _period_of(segment):
    until = format_fuzzy(segment.end, segment.end_precision) if segment.end else ""
    return _period(format_fuzzy(segment.start, segment.since_precision), until)


def _decided_on(decision):
    """(day, precision) a decision is placed at: its meeting's, else the day it took effect;
    (None, ...) where its source gives neither."""
    if decision.meeting_date:
        return decision.meeting_date, decision.meeting_date_precision
    return decision.effective_date, decision.effective_date_precision


def _decision_label(decision):
    """'Decision: Agreed (14 March 2018)', from the meeting's date, else the effective one."""
    when = _decision_date(decision, *_decided_on(decision))
    return f"Decision: {decision.get_outcome_display()} ({when})"


# A heavy CCG's lane has thousands of bars and markers before most give way to those a
# reader can see (``_visible``, ``_apart``): their titles are written only for those.
@dataclass
class Bar:
    x: float
    width: float
    status: str
    css: str
    fill: str
    ccg: object
    segment: object
    brief: int = 0  # changes just before it, too brief to draw at this scale

    # The SVG's numbers, to a tenth of a pixel: written here, not with the template's
    # floatformat, which costs more than the rest of a bar when a lane has hundreds.
    @property
    def svg_x(self):
        return f"{self.x:.1f}"

    @property
    def svg_width(self):
        return f"{self.width:.1f}"

    @property
    def label(self):
        status = MembershipStatus(self.status).label.lower()
        label = f"{self.ccg}: {status}, {_period_of(self.segment)}"
        if self.brief:
            s = "s" if self.brief > 1 else ""
            label += f" (after {self.brief} change{s} too brief to draw at this scale)"
        return label


@dataclass
class Marker:
    x: float
    y: float
    decision: object
    count: int = 1  # decisions on the same pixel
    last: object = None  # the last of them, when more than one

    @property
    def label(self):
        if self.count == 1:
            return _decision_label(self.decision)
        return f"{self.count} decisions here; the last: {_decision_label(self.last)}"

    @property
    def points(self):
        r = MARKER_RADIUS
        return (
            f"{self.x:.1f},{self.y - r:.1f} {self.x + r:.1f},{self.y:.1f} "
            f"{self.x:.1f},{self.y + r:.1f} {self.x - r:.1f},{self.y:.1f}"
        )


@dataclass
class Lane:
    ccg: object
    y: float
    bars: list = field(default_factory=list)
    decisions: list = field(default_factory=list)  # markers within the span drawn
    listed: list = field(default_factory=list)  # every decision, for the table
    periods: list = field(default_factory=list)  # (status label, from text, to text) for the table
    status_on_date: str = "Not yet recorded"
    periods_earlier: int = 0  # periods and decisions left out of the table (``LISTED``)
    listed_earlier: int = 0

    @property
    def label_y(self):
        return self.y + LANE_HEIGHT / 2 + 5

    @property
    def bar_y(self):
        return self.y + (LANE_HEIGHT - BAR_HEIGHT) / 2

    # A lane's bars and markers are written here rather than by a template loop, which
    # cost most of the national chart's time: a busy CCG's lane has hundreds of bars.
    # Only the titles are text; the rest are this module's numbers and class names.
    @property
    def bars_svg(self):
        bar_y = f"{self.bar_y:.1f}"
        return mark_safe(  # noqa: S308 - every value but the escaped title is this module's own
            "\n".join(
                f'<rect class="{bar.css}" data-status="{bar.status}" x="{bar.svg_x}" '
                f'y="{bar_y}" width="{bar.svg_width}" height="{BAR_HEIGHT}" fill="{bar.fill}">'
                f"<title>{escape(bar.label)}</title></rect>"
                for bar in self.bars
            )
        )

    @property
    def markers_svg(self):
        return mark_safe(  # noqa: S308 - as above
            "\n".join(
                f'<polygon class="chart-decision" points="{marker.points}" fill="#ffffff" '
                f'stroke="#212b32" stroke-width="1.5"><title>{escape(marker.label)}</title>'
                "</polygon>"
                for marker in self.decisions
            )
        )


@dataclass
class VerticalLine:
    x: float
    label: str
    css: str
    label_y: float
    label_x: float = 0.0


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    lanes: list
    ticks: list
    meetings: list
    selected: VerticalLine
    plot_top: float
    plot_bottom: float
    start: datetime.date
    end: datetime.date
    title: str
    legend: list
    events_start: datetime.date | None = None
    events_end: datetime.date | None = None
    selected_outside: str = ""  # "before" or "after" the span drawn; "" when inside

    @property
    def last_day(self):
        return self.end - datetime.timedelta(days=1)


def _period(since_text, until_text):
    """'by January 2018 to by 27 February 2018', or 'from 19 March 2018 on' while in effect."""
    return f"{since_text} to {until_text}" if until_text else f"from {since_text} on"


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def text_width(text, font_size):
    return len(text) * font_size * GLYPH_EM


def _centred(x, width, left, right):
    """The centre for a label of ``width`` about ``x``, moved in to stay within left..right."""
    return min(max(x, left + width / 2), right - width / 2)


def _rows(labels, font_size, left, right):
    """[(centre x, row)] for labels [(x, text)] in order: each in the first row where it
    clears the one before it, so no two labels overlap however close their dates."""
    ends = []  # the right edge of the last label in each row
    placed = []
    for x, text in labels:
        width = text_width(text, font_size)
        centre = _centred(x, width, left, right)
        row = next((i for i, end in enumerate(ends) if centre - width / 2 >= end + GAP), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = centre + width / 2
        placed.append((centre, row))
    return placed


def _visible(bars):
    """The bars a reader can see: one narrower than a pixel gives way to the bar after it,
    which starts where it did and counts it, so each pixel shows the last status in it and
    a lane has at most one bar per pixel however often its CCG changed."""
    shown = []
    for bar in bars:
        while shown and shown[-1].width < 1 and shown[-1].x + shown[-1].width >= bar.x - 0.01:
            brief = shown.pop()
            bar.width += bar.x - brief.x
            bar.x = brief.x
            bar.brief += brief.brief + 1
        shown.append(bar)
    for bar in shown:
        bar.width = max(bar.width, 1.0)
    return shown


def _apart(markers):
    """Decision markers that would overlap (closer than a marker's width) drawn as one,
    labelled with how many: a reader sees one diamond there however many are drawn."""
    shown = []
    for marker in sorted(markers, key=lambda m: m.x):
        if shown and marker.x - shown[-1].x < 2 * MARKER_RADIUS:
            shown[-1].count += 1
            shown[-1].last = marker.decision
        else:
            shown.append(marker)
    return shown


def _decision_date(decision, day, precision):
    """When a decision was taken, or that its source does not say (and when one is expected)."""
    if day is not None:
        return format_fuzzy(day, precision)
    if decision.expected_date:
        expected = format_fuzzy(decision.expected_date, decision.expected_date_precision)
        return f"date not stated; a decision expected {expected}"
    return "date not stated"


def _latest(items):
    """The last ``LISTED`` of ``items`` and how many came before them."""
    return items[-LISTED:], max(len(items) - LISTED, 0)


def event_days(segments, decisions, meetings):
    """Every day the record has something on: status changes, decisions and meetings."""
    days = [s.start for lane in segments.values() for s in lane]
    days += [s.end for lane in segments.values() for s in lane if s.end]
    days += [day for day, _ in map(_decided_on, decisions) if day is not None]
    days += [m.date for m in meetings]
    return [day for day in days if day]


def build_chart(*, segments, decisions, meetings, selected, date_from=None, date_to=None):
    """Lay out one lane per CCG from ``membership_segments()``, with markers and the date.

    The chart opens on the span where the record has events, half a month either side
    (to whole months); ``date_from`` and ``date_to`` widen or narrow it.
    """
    days = event_days(segments, decisions, meetings) or [selected]
    events_start, events_end = min(days), max(days)
    start = _month_start(date_from or events_start - datetime.timedelta(days=MARGIN_DAYS))
    end = _next_month(date_to or events_end + datetime.timedelta(days=MARGIN_DAYS))
    span = (end - start).days
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_MARGIN

    def x(day):
        day = min(max(day, start), end)
        return LABEL_WIDTH + plot_width * (day - start).days / span

    lanes = []
    for index, (ccg, lane_segments) in enumerate(segments.items()):
        lane = Lane(ccg=ccg, y=TOP + index * LANE_HEIGHT)
        for segment in lane_segments:
            if segment.start < end and (segment.end is None or segment.end > start):
                lane.bars.append(
                    Bar(
                        x=x(segment.start),
                        width=x(segment.end or end) - x(segment.start),
                        status=segment.status,
                        css=f"chart-bar chart-bar--{segment.status.replace('_', '-')}",
                        fill=STATUS_FILL[segment.status],
                        ccg=ccg,
                        segment=segment,
                    )
                )
            if segment.start <= selected and (segment.end is None or selected < segment.end):
                lane.status_on_date = MembershipStatus(segment.status).label
        lane.bars = _visible(lane.bars)
        latest, lane.periods_earlier = _latest(lane_segments)
        lane.periods = [
            f"{MembershipStatus(segment.status).label}, {_period_of(segment)}" for segment in latest
        ]
        lanes.append(lane)
    lane_by_ccg = {lane.ccg.pk: lane for lane in lanes}
    listed = {}
    for decision in decisions:
        lane = lane_by_ccg.get(decision.ccg_id)
        if lane is None:
            continue
        listed.setdefault(lane.ccg.pk, []).append(decision)
        day, _ = _decided_on(decision)
        if day is not None and start <= day < end:
            lane.decisions.append(Marker(x=x(day), y=lane.y + LANE_HEIGHT / 2, decision=decision))
    for lane in lanes:
        lane.decisions = _apart(lane.decisions)
        latest, lane.listed_earlier = _latest(listed.get(lane.ccg.pk, []))
        lane.listed = [_decision_label(decision) for decision in latest]
    plot_bottom = TOP + len(lanes) * LANE_HEIGHT
    # Every n-th month labelled, n as small as lets each label clear the next: a few
    # months get one each, decades one a year or so.
    months = (end.year - start.year) * 12 + end.month - start.month
    month_width = plot_width / max(months, 1)
    step = max(1, -(-int(text_width("Sep 2018", 12) + GAP) // max(int(month_width), 1)))
    ticks = []
    month, index = start, 0
    while month < end:
        if index % step == 0:
            tick_x = x(month)
            # Centred on its line, above the lanes; none that would run off the drawing.
            half = text_width(month.strftime("%b %Y"), 12) / 2
            if tick_x - half >= 0 and tick_x + half <= WIDTH - 2:
                ticks.append(Tick(x=tick_x, label=month.strftime("%b %Y")))
        month, index = _next_month(month), index + 1
    shown = [m for m in meetings if start <= m.date < end]
    labels = [
        (x(m.date), f"HOSC {m.date.day} {m.date:%b}" + (" (cancelled)" if m.cancelled else ""))
        for m in shown
    ]
    placed = _rows(labels, 11, LABEL_WIDTH, WIDTH - 2)
    meeting_lines = [
        VerticalLine(
            x=line_x,
            label=label,
            css="chart-meeting chart-meeting--cancelled" if m.cancelled else "chart-meeting",
            label_y=plot_bottom + 18 + MEETING_ROW * row,
            label_x=centre,
        )
        for m, (line_x, label), (centre, row) in zip(shown, labels, placed, strict=True)
    ]
    rows = max((row + 1 for _centre, row in placed), default=0)
    selected_outside = "before" if selected < start else "after" if selected >= end else ""
    selected_label = f"{selected.day} {selected:%B %Y}"
    selected_line = VerticalLine(
        x=x(selected),
        label=selected_label,
        css="chart-selected",
        label_y=TOP - 26,
        label_x=_centred(x(selected), text_width(selected_label, 12), 0, WIDTH),
    )
    legend = [
        (
            status.label,
            f"chart-bar chart-bar--{status.value.replace('_', '-')}",
            STATUS_FILL[status],
        )
        for status in MembershipStatus
    ]
    return Chart(
        width=WIDTH,
        height=int(plot_bottom + 18 + MEETING_ROW * rows + 8),
        lanes=lanes,
        ticks=ticks,
        meetings=meeting_lines,
        selected=selected_line,
        plot_top=TOP,
        plot_bottom=plot_bottom,
        start=start,
        end=end,
        title=f"Membership of the strategic commissioner by CCG, with {selected.day} "
        f"{selected:%B %Y} marked",
        legend=legend,
        events_start=events_start,
        events_end=events_end,
        selected_outside=selected_outside,
    )
