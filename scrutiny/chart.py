"""The membership swimlane chart, laid out on the server so the page needs no JavaScript.

Colours come from CSS classes (print.css and scrutiny.css) and, for a saved SVG
opened on its own, from fill attributes; the table beside it says the same in words.
"""

import datetime
from dataclasses import dataclass, field

from decisions.models import MembershipStatus
from records.dates import format_fuzzy

WIDTH = 960
LABEL_WIDTH = 210
RIGHT_MARGIN = 20
TOP = 44
LANE_HEIGHT = 34
BAR_HEIGHT = 20
BOTTOM = 70

STATUS_FILL = {
    MembershipStatus.CONSIDERING: "#aeb7bd",
    MembershipStatus.PENDING: "#ffb81c",
    MembershipStatus.OPTED_OUT: "#d5281b",
    MembershipStatus.JOINED: "#007f3b",
}


@dataclass
class Bar:
    x: float
    width: float
    status: str
    label: str
    css: str
    fill: str


@dataclass
class Marker:
    x: float
    y: float
    label: str

    @property
    def points(self):
        r = 6
        return (
            f"{self.x:.1f},{self.y - r:.1f} {self.x + r:.1f},{self.y:.1f} "
            f"{self.x:.1f},{self.y + r:.1f} {self.x - r:.1f},{self.y:.1f}"
        )


@dataclass
class Lane:
    ccg: object
    y: float
    bars: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    periods: list = field(default_factory=list)  # (status label, from text, to text) for the table
    status_on_date: str = "Not yet recorded"

    @property
    def label_y(self):
        return self.y + LANE_HEIGHT / 2 + 5

    @property
    def bar_y(self):
        return self.y + (LANE_HEIGHT - BAR_HEIGHT) / 2


@dataclass
class VerticalLine:
    x: float
    label: str
    css: str
    label_y: float


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


def _period(since_text, until_text):
    """'by January 2018 to by 27 February 2018', or 'from 19 March 2018 on' while in effect."""
    return f"{since_text} to {until_text}" if until_text else f"from {since_text} on"


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def build_chart(*, segments, decisions, meetings, selected):
    """Lay out one lane per CCG from ``membership_segments()``, with markers and the date."""
    dates = [s.start for lane in segments.values() for s in lane] + [m.date for m in meetings]
    dates += [selected]
    start = _month_start(min(dates))
    end = _next_month(max(dates) + datetime.timedelta(days=14))
    span = (end - start).days
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_MARGIN

    def x(day):
        day = min(max(day, start), end)
        return LABEL_WIDTH + plot_width * (day - start).days / span

    lanes = []
    for index, (ccg, lane_segments) in enumerate(segments.items()):
        lane = Lane(ccg=ccg, y=TOP + index * LANE_HEIGHT)
        for segment in lane_segments:
            seg_end = segment.end or end
            status = MembershipStatus(segment.status)
            since_text = format_fuzzy(segment.start, segment.since_precision)
            until_text = format_fuzzy(segment.end, segment.end_precision) if segment.end else ""
            lane.bars.append(
                Bar(
                    x=x(segment.start),
                    width=max(x(seg_end) - x(segment.start), 1.0),
                    status=segment.status,
                    label=f"{ccg}: {status.label.lower()}, {_period(since_text, until_text)}",
                    css=f"chart-bar chart-bar--{segment.status.replace('_', '-')}",
                    fill=STATUS_FILL[status],
                )
            )
            lane.periods.append(f"{status.label}, {_period(since_text, until_text)}")
            if segment.start <= selected and (segment.end is None or selected < segment.end):
                lane.status_on_date = status.label
        lanes.append(lane)
    lane_by_ccg = {lane.ccg.pk: lane for lane in lanes}
    for decision in decisions:
        lane = lane_by_ccg.get(decision.ccg_id)
        if decision.meeting_date:
            day, precision = decision.meeting_date, decision.meeting_date_precision
        else:
            day, precision = decision.effective_date, decision.effective_date_precision
        if lane is None or day is None:
            continue
        lane.decisions.append(
            Marker(
                x=x(day),
                y=lane.y + LANE_HEIGHT / 2,
                label=f"Decision: {decision.get_outcome_display()} "
                f"({format_fuzzy(day, precision)})",
            )
        )
    plot_bottom = TOP + len(lanes) * LANE_HEIGHT
    # About a dozen labelled ticks whatever the span, so a date chosen decades away
    # still draws a readable axis.
    months = (end.year - start.year) * 12 + end.month - start.month
    step = max(1, -(-months // 12))
    ticks = []
    month, index = start, 0
    while month < end:  # the plot's right edge gets no label: it would be cut off
        if index % step == 0:
            ticks.append(Tick(x=x(month), label=month.strftime("%b %Y")))
        month, index = _next_month(month), index + 1
    meeting_lines = [
        VerticalLine(
            x=x(m.date),
            label=f"HOSC {m.date.day} {m.date:%b}" + (" (cancelled)" if m.cancelled else ""),
            css="chart-meeting chart-meeting--cancelled" if m.cancelled else "chart-meeting",
            label_y=plot_bottom + 18 + 14 * (i % 2),
        )
        for i, m in enumerate(meetings)
    ]
    selected_line = VerticalLine(
        x=x(selected),
        label=f"{selected.day} {selected:%B %Y}",
        css="chart-selected",
        label_y=TOP - 26,
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
        height=int(plot_bottom + BOTTOM),
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
    )
