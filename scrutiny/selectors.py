"""Reads for scrutiny: the timeline, the two points in time, the chart and the briefing."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from ccgs.models import Commissioner
from decisions.derivation import changes
from decisions.models import Decision, Membership, MembershipStatus, Outcome, Withdrawal
from decisions.selectors import arrangement_ccgs, decision_logs, member_state, membership_as_at
from records.models import EventKind, TimelineEvent
from records.points import end_of_day, recorded_by
from records.selectors import conflicts
from roles.models import Assignment, Person, Post, PostKind, held_on
from roles.selectors import team_as_at

from .models import ScrutinyMeeting

PAGE_SIZE = 50


# --- Timeline ---------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in the timeline's (sort date, id) order, written ``2018-03-19,41`` in URLs."""

    date: datetime.date
    id: int

    @classmethod
    def parse(cls, text):
        day, _, pk = (text or "").partition(",")
        try:
            return cls(datetime.date.fromisoformat(day), int(pk))
        except ValueError:
            raise ValueError(
                "The page position is not one this site wrote; start again from the first page."
            ) from None

    def __str__(self):
        return f"{self.date.isoformat()},{self.id}"

    @classmethod
    def of(cls, event):
        return cls(event.sort_date, event.id)


def timeline_events(
    *,
    ccg=None,
    locality_group=None,
    kinds=(),
    date_from=None,
    date_to=None,
    known_at=None,
    recorded_since=None,
    commissioner=None,
):
    """Timeline events matching the filters, earliest first then as recorded (sort date, id).

    ``known_at``: only what the record knew by the end of that day (as recorded on).
    ``recorded_since``: only what it learnt after the end of that day (what changed since).
    ``commissioner``: that arrangement's events only (see ``of_arrangement``).
    """
    events = TimelineEvent.objects.select_related("ccg", "locality_group")
    if ccg is not None:
        events = events.filter(ccg=ccg)
    if locality_group is not None:
        events = events.filter(locality_group=locality_group)
    if kinds:
        events = events.filter(kind__in=kinds)
    if date_from is not None:
        events = events.filter(date__gte=date_from)
    if date_to is not None:
        events = events.filter(date__lte=date_to)
    if known_at is not None:
        events = events.filter(recorded_at__lte=recorded_by(known_at))
    if recorded_since is not None:
        events = events.filter(recorded_at__gt=end_of_day(recorded_since))
    events = of_arrangement(without_retracted(events, known_at), commissioner)
    return events.order_by("sort_date", "id").prefetch_related("sources")


def of_arrangement(events, commissioner):
    """``events`` of the arrangement ``commissioner``'s record: its decisions, posts, meetings,
    sources, claims and functions; each event belongs to the one arrangement whose record
    changed (``TimelineEvent.commissioner``). None: every event. Part of the same query."""
    if commissioner is None:
        return events
    return events.filter(commissioner=commissioner)


def without_retracted(events, known_at=None):
    """``events`` less those about a decision corrected or withdrawn by the end of ``known_at``
    (default: now); the correction and the withdrawal are events of their own."""
    corrections = Decision.objects.filter(corrects=OuterRef("subject_id"))
    withdrawals = Withdrawal.objects.filter(decision=OuterRef("subject_id"))
    if known_at is not None:
        corrections = corrections.filter(recorded_at__lte=recorded_by(known_at))
        withdrawals = withdrawals.filter(recorded_at__lte=recorded_by(known_at))
    about_a_decision = Q(subject_type__app_label="decisions", subject_type__model="decision")
    return events.exclude(about_a_decision & (Exists(corrections) | Exists(withdrawals)))


def most_sources(events):
    """The most sources any one of ``events`` cites: how many source columns a sheet needs."""
    counted = events.order_by().annotate(cited=Count("sources"))
    return counted.aggregate(most=Max("cited"))["most"] or 0


@dataclass
class TimelinePage:
    events: list
    next_cursor: Cursor | None  # pass as ?after=
    previous_cursor: Cursor | None  # pass as ?before=


def timeline_page(events, *, after=None, before=None, size=PAGE_SIZE):
    """One page of ``events`` after or before a cursor: an index range scan, never OFFSET.

    Page 500 costs what page 1 costs: the database seeks to the cursor through
    the (sort_date, id) index and reads ``size + 1`` rows (one more tells whether a
    further page exists), then one query for the sources of those rows.
    """
    # The plain date bound lets the database seek straight to the cursor in the
    # (sort_date, id) index; with the OR alone it may test row after row from the start.
    if before is not None:
        rows = list(
            events.filter(sort_date__lte=before.date)
            .filter(Q(sort_date__lt=before.date) | Q(id__lt=before.id))
            .order_by("-sort_date", "-id")[: size + 1]
        )
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return TimelinePage(
            events=rows,
            next_cursor=Cursor.of(rows[-1]) if rows else None,
            previous_cursor=Cursor.of(rows[0]) if rows and more_before else None,
        )
    if after is not None:
        events = events.filter(sort_date__gte=after.date).filter(
            Q(sort_date__gt=after.date) | Q(id__gt=after.id)
        )
    rows = list(events[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return TimelinePage(
        events=rows,
        next_cursor=Cursor.of(rows[-1]) if rows and more_after else None,
        # Coming forward from a cursor means there is something before; no query needed.
        previous_cursor=Cursor.of(rows[0]) if rows and after is not None else None,
    )


def recent_changes(limit=50, commissioner=None):
    """The latest changes to the record (about ``commissioner``, when given), newest first by
    when they were recorded, each with
    ``entry_id``: the event it is a new version of (a correction is the decision it corrects,
    seen again), and ``first_recorded_at``, when that entry first appeared.

    Four queries: the events, their sources, the corrections, the corrected decisions' events.
    """
    events = list(
        of_arrangement(
            without_retracted(TimelineEvent.objects.select_related("ccg", "subject_type")),
            commissioner,
        )
        .prefetch_related("sources")
        .order_by("-recorded_at", "-id")[:limit]
    )
    corrects = dict(Decision.objects.exclude(corrects=None).values_list("id", "corrects_id"))

    def first_of(decision_id):
        while decision_id in corrects:
            decision_id = corrects[decision_id]
        return decision_id

    about_a_decision = Q(subject_type__app_label="decisions", subject_type__model="decision")
    originals = {
        event.pk: first_of(event.subject_id)
        for event in events
        if event.subject_id in corrects
        and (event.subject_type.app_label, event.subject_type.model) == ("decisions", "decision")
    }
    first_events = {}
    rows = (
        TimelineEvent.objects.filter(about_a_decision, subject_id__in=set(originals.values()))
        .order_by("id")
        .values_list("id", "subject_id", "kind", "recorded_at")
    )
    for pk, subject_id, kind, recorded_at in rows:
        first_events.setdefault((subject_id, _entry_kind(kind)), (pk, recorded_at))
    for event in events:
        original = originals.get(event.pk)
        first = first_events.get((original, _entry_kind(event.kind))) if original else None
        event.entry_id, event.first_recorded_at = first or (event.pk, event.recorded_at)
    return events


def _entry_kind(kind):
    """A correction is a new version of the decision's own line; a status change, of its."""
    return EventKind.DECISION if kind == EventKind.CORRECTION else kind


# --- Two points in time -----------------------------------------------------


@dataclass
class Officers:
    """Who held the shared team posts and the CCGs' accountable officer posts on a date."""

    shared_team: list
    ccg_officers: dict  # CCG id -> [assignment, ...]

    def for_ccg(self, ccg):
        return self.ccg_officers.get(ccg.pk, [])


def officers_on(day, known_at=None, commissioner=None):
    """Shared team and CCG accountable officers in post on ``day``, as recorded by ``known_at``,
    in the posts of ``commissioner`` (an arrangement; None: every post).

    With ``known_at`` the rows come from the assignments' audit history as it
    stood at the end of that day (an end date recorded later is not yet known).
    """
    if known_at is None:
        rows = Assignment.objects.current_on(day)
    else:
        rows = Assignment.history.as_of(recorded_by(known_at)).filter(held_on(day))
    rows = rows.filter(post__kind__in=[PostKind.SHARED_TEAM, PostKind.CCG_ACCOUNTABLE_OFFICER])
    if commissioner is not None:
        rows = rows.filter(post__commissioner=commissioner)
    rows = list(rows)
    # History rows turned back into instances lose select_related, so posts and
    # people are read in one query each, for both readings alike.
    posts = Post.objects.in_bulk({row.post_id for row in rows})
    people = Person.objects.in_bulk({row.person_id for row in rows})
    for row in rows:
        row.post = posts[row.post_id]
        row.person = people[row.person_id]
    rows.sort(key=lambda row: (row.post.order, row.post.title, row.start or datetime.date.min))
    # History rows do not carry the many-to-many, so read the sources in one query for all.
    cited = {}
    links = Assignment.sources.through.objects.filter(
        assignment_id__in=[row.pk for row in rows]
    ).select_related("source")
    for link in links:
        cited.setdefault(link.assignment_id, []).append(link.source)
    shared, by_ccg = [], {}
    for row in rows:
        row.cited = cited.get(row.pk, [])
        if row.post.kind == PostKind.SHARED_TEAM:
            shared.append(row)
        else:
            by_ccg.setdefault(row.post.ccg_id, []).append(row)
    return Officers(shared_team=shared, ccg_officers=by_ccg)


@dataclass
class PointInTime:
    """Membership and officers in effect on ``on``, as the record stood at ``known_at``."""

    on: datetime.date
    known_at: datetime.date | None
    members: list
    officers: Officers
    rows: list = field(default_factory=list)

    @property
    def joined(self):
        return [m for m in self.members if m.status == MembershipStatus.JOINED]


def point_in_time_view(on, known_at=None, commissioner=None):
    members = membership_as_at(on, known_at, commissioner)
    officers = officers_on(on, known_at, commissioner)
    point = PointInTime(on=on, known_at=known_at, members=members, officers=officers)
    point.rows = [(m, officers.for_ccg(m.ccg)) for m in members]
    return point


@dataclass
class Comparison:
    """The record in effect on a date (as now known) beside what it said on ``known_at``."""

    on: datetime.date
    known_at: datetime.date
    in_effect: PointInTime
    as_recorded: PointInTime
    rows: list  # one dict per CCG: now, now_officers, then, then_officers, differs


def compare_points(on, known_at, commissioner=None):
    in_effect = point_in_time_view(on, commissioner=commissioner)
    as_recorded = point_in_time_view(on, known_at, commissioner)
    # A CCG the record added to the arrangement after ``known_at`` had no line then.
    recorded = {then.ccg.pk: (then, officers) for then, officers in as_recorded.rows}
    rows = []
    for now, now_officers in in_effect.rows:
        then, then_officers = recorded.get(now.ccg.pk) or (member_state(now.ccg, [], on), [])
        rows.append(
            {
                "ccg": now.ccg,
                "now": now,
                "now_officers": now_officers,
                "then": then,
                "then_officers": then_officers,
                # A difference a reader should look at: status, expected date or officer.
                "differs": (now.status, now.expected_decision, [a.person_id for a in now_officers])
                != (then.status, then.expected_decision, [a.person_id for a in then_officers]),
            }
        )
    return Comparison(on, known_at, in_effect, as_recorded, rows)


# --- Membership chart -----------------------------------------------------------


@dataclass
class Segment:
    status: str
    start: datetime.date
    end: datetime.date | None  # None: still in effect
    since_precision: str
    end_precision: str = "day"  # the next status's since precision: "by 27 February" stays so


def membership_segments(commissioner=None):
    """{CCG: [Segment, ...]}: each CCG's status over time in ``commissioner`` (an arrangement;
    None: every decision), in effect, as now known.

    Drawn from the same derivation as every other page (``decisions.derivation``):
    the state on each day a decision took effect, runs of one status joined.
    """
    ccgs = list(arrangement_ccgs(commissioner).order_by("locality_group", "name"))
    logs = decision_logs(commissioner=commissioner)
    lanes = {}
    for ccg in ccgs:
        segments = []
        for _day, state in changes(logs.get(ccg.pk, [])):
            if state.status is None or (segments and segments[-1].status == state.status):
                continue
            start, precision = state.first.in_effect_from, state.first.in_effect_from_precision
            if segments:
                segments[-1].end, segments[-1].end_precision = start, precision
            segments.append(Segment(state.status, start, None, precision))
        lanes[ccg] = segments
    return lanes


@dataclass(frozen=True, slots=True)
class DecisionOnChart:
    """What the chart says of a decision: its CCG, outcome and dates, and no more."""

    ccg_id: int
    outcome: str
    meeting_date: datetime.date | None
    meeting_date_precision: str
    effective_date: datetime.date | None
    effective_date_precision: str
    expected_date: datetime.date | None
    expected_date_precision: str

    FIELDS = ("ccg_id", "outcome", "meeting_date", "meeting_date_precision", "effective_date",
              "effective_date_precision", "expected_date", "expected_date_precision")  # fmt: skip

    def get_outcome_display(self):
        return Outcome(self.outcome).label


def membership_decisions(commissioner=None):
    """Decisions that concern one CCG (and ``commissioner``, when given), as plain values of
    the fields the chart reads, since a national record holds thousands. One with no date of
    its own (a deferral that gives only when a decision is expected) is in the chart's
    table, not on its lanes."""
    decisions = Decision.objects.current()
    if commissioner is not None:
        decisions = decisions.filter(commissioner=commissioner)
    rows = (
        decisions.exclude(ccg=None)
        .exclude(outcome=Outcome.CONSIDERING)
        .order_by("recorded_at")
        .values_list(*DecisionOnChart.FIELDS)
    )
    return [DecisionOnChart(*row) for row in rows]


def _meetings(commissioner):
    meetings = ScrutinyMeeting.objects.all()
    if commissioner is not None:
        meetings = meetings.filter(commissioner=commissioner)
    return meetings


def scrutiny_meetings(commissioner=None):
    """The meetings that scrutinised ``commissioner``'s record (None: every meeting)."""
    return list(_meetings(commissioner).prefetch_related("sources").order_by("date"))


CALENDAR_WINDOW = datetime.timedelta(days=365)


def calendar_window_start(since=None, commissioner=None):
    """Where the calendar starts: ``since`` when given; else a year before today, or before
    the record's last meeting when that is older (a record of past years still shows its
    last year). Everything ahead is always in. A calendar program fetches the whole file
    every few hours, so at national scale it must not be every meeting there ever was."""
    if since is not None:
        return since
    today = timezone.localdate()
    if commissioner is None:
        last = _meetings(commissioner).aggregate(last=Max("date"))["last"]
    else:
        last = _last_calendar_day(commissioner)
    return min(today, last or today) - CALENDAR_WINDOW


def _last_calendar_day(commissioner):
    """The last day the arrangement's calendar would show: its last meeting or the last
    decision it expects (an arrangement of past years with no meeting still shows its last
    year). One query."""
    meetings = ScrutinyMeeting.objects.filter(commissioner=OuterRef("pk")).order_by("-date")
    expected = (
        Decision.objects.current()
        .filter(commissioner=OuterRef("pk"), outcome=Outcome.DEFERRED)
        .exclude(expected_date=None)
        .order_by("-expected_date")
    )
    days = (
        Commissioner.objects.filter(pk=commissioner.pk)
        .annotate(
            meeting=Subquery(meetings.values("date")[:1]),
            expected=Subquery(expected.values("expected_date")[:1]),
        )
        .values_list("meeting", "expected")
        .first()
    )
    return max((day for day in days or () if day is not None), default=None)


def calendar_meetings(since, commissioner=None):
    """The meetings (of ``commissioner``'s record, when given) on or after ``since`` for the
    calendar, each with its timeline event
    (``event_id``, ``event_sort_date``: the page a calendar links back to) and
    ``last_changed``, the time of its latest history row."""
    events = TimelineEvent.objects.filter(
        subject_type__app_label="scrutiny",
        subject_type__model="scrutinymeeting",
        subject_id=OuterRef("pk"),
    ).order_by("id")
    history = ScrutinyMeeting.history.model.objects.filter(id=OuterRef("pk"))
    return list(
        _meetings(commissioner)
        .filter(date__gte=since)
        .annotate(
            event_id=Subquery(events.values("id")[:1]),
            event_sort_date=Subquery(events.values("sort_date")[:1]),
            last_changed=Subquery(history.order_by("-history_date").values("history_date")[:1]),
        )
        .prefetch_related("sources")
        .order_by("date")
    )


# --- Briefing and calendar -------------------------------------------------------


BRIEFING_DECISIONS = 30

# What a briefing reports as changed: decisions, and people starting or leaving posts
# (an accountable officer stepping down matters to a committee as much as a vote).
DECISION_KINDS = [EventKind.DECISION, EventKind.CORRECTION]
ROLE_KINDS = [EventKind.ASSIGNMENT_START, EventKind.ASSIGNMENT_END]
BRIEFING_CHANGES = DECISION_KINDS + ROLE_KINDS


# Earlier events are counted up to this many: counting every decision of a national record
# since a date read a hundred thousand rows to print one number.
EARLIER_COUNTED = 1000


@dataclass
class LatestEvents:
    """The latest events of a period in date order, and how many earlier ones are left out
    (at least that many when ``more``: counting stops at ``EARLIER_COUNTED`` of a kind)."""

    events: list
    earlier: int
    more: bool = False


def changes_between(since, until, known_at=None, limit=None, commissioner=None):
    """The latest ``limit`` decisions, and the latest ``limit`` changes of post, that took
    effect after ``since`` and by ``until``, in date order.

    A briefing is read in a meeting: a period with hundreds of decisions shows the latest
    and links to the timeline for the rest, rather than printing them all. Decisions and
    changes of post are counted apart, so that a month of appointments never pushes the
    period's decisions off the paper.
    """
    limit = limit or BRIEFING_DECISIONS
    events = TimelineEvent.objects.filter(date__gt=since, date__lte=until)
    if known_at is not None:
        events = events.filter(recorded_at__lte=recorded_by(known_at))
    events = of_arrangement(without_retracted(events, known_at), commissioner)
    shown, earlier, more = [], 0, False
    for kinds, subject in (
        (DECISION_KINDS, Decision.objects.all()),
        (ROLE_KINDS, Assignment.objects.select_related("person", "post__ccg")),
    ):
        of_kind = events.filter(kind__in=kinds)
        latest = list(
            of_kind.select_related("ccg")
            .prefetch_related("sources", GenericPrefetch("subject", [subject]))
            .order_by("-sort_date", "-id")[: limit + 1]
        )
        if len(latest) > limit:
            counted = of_kind[: limit + EARLIER_COUNTED].count() - limit
            earlier += counted
            more = more or counted == EARLIER_COUNTED
        shown += latest[:limit]
    return LatestEvents(sorted(shown, key=lambda e: (e.sort_date, e.id)), earlier, more)


@dataclass
class BriefingChange:
    """One line of a briefing's "changes since": a decision, or one person starting or
    leaving one or more posts on one day ("Glenn Douglas starts as ...; ...")."""

    date_display: str
    text: str
    detail: str
    sources: list
    posts: list = field(default_factory=list)
    record_note: str = ""  # a decision's data-entry note, shown only when asked for


ROLE_VERBS = {EventKind.ASSIGNMENT_START: "starts as", EventKind.ASSIGNMENT_END: "leaves"}


def briefing_changes(events):
    """``changes_between`` as a committee reads it: a person's posts taken up or left on one
    day in one line, and no line for a post held from a date no source gives (that is
    evidence someone was in post, not a change)."""
    lines, by_person_day = [], {}
    for event in events:
        sources = list(event.sources.all())
        if event.kind not in ROLE_VERBS:
            note = getattr(event.subject, "data_entry_note", "")
            lines.append(
                BriefingChange(event.date_display, event.title, event.detail, sources, [], note)
            )
            continue
        assignment = event.subject
        if assignment is None or (
            event.kind == EventKind.ASSIGNMENT_START and not assignment.start
        ):
            continue
        key = (event.date, event.date_precision, event.kind, assignment.person_id)
        line = by_person_day.get(key)
        if line is None:
            line = BriefingChange(
                event.date_display, f"{assignment.person} {ROLE_VERBS[event.kind]}", "", []
            )
            by_person_day[key] = line
            lines.append(line)
        line.posts.append(str(assignment.post))
        line.sources += [s for s in sources if s not in line.sources]
    for line in by_person_day.values():
        line.text = f"{line.text} {'; '.join(line.posts)}"
    return lines


def previous_meeting(before, commissioner=None):
    """The last scrutiny meeting (of ``commissioner``'s record, when given) held before
    ``before``: the default 'since' of a briefing."""
    meetings = _meetings(commissioner).filter(date__lt=before, cancelled=False)
    return meetings.order_by("-date").first()


def briefing_since(on, commissioner=None):
    """A briefing's default 'since': the last committee meeting before it, else 30 days."""
    meeting = previous_meeting(on, commissioner)
    return meeting.date if meeting else on - datetime.timedelta(days=30)


def expected_decisions(since=None, commissioner=None):
    """Decisions still to come, as the record has given them: each deferral's expected date
    (on or after ``since``, when given; about ``commissioner``, when given)."""
    decisions = Decision.objects.current().filter(outcome=Outcome.DEFERRED)
    if commissioner is not None:
        decisions = decisions.filter(commissioner=commissioner)
    if since is not None:
        decisions = decisions.filter(expected_date__gte=since)
    return list(
        decisions.exclude(expected_date=None)
        .select_related("ccg")
        .order_by("expected_date", "recorded_at")
    )


def pending_memberships(commissioner=None):
    """Pending memberships (of ``commissioner``, when given), each with ``last_changed``, the
    time of its latest history row."""
    history = Membership.history.model.objects.filter(id=OuterRef("pk"))
    memberships = Membership.objects.with_ccg()
    if commissioner is not None:
        memberships = memberships.filter(commissioner=commissioner)
    return list(
        memberships.filter(status=MembershipStatus.PENDING)
        .annotate(
            last_changed=Subquery(history.order_by("-history_date").values("history_date")[:1])
        )
        .order_by("ccg__name")
    )


class Footnotes:
    """Sources numbered in order of first citation, as a committee paper does."""

    def __init__(self):
        self.sources = []
        self._numbers = {}

    def cite(self, sources):
        """The footnote numbers for ``sources``, numbering any not cited before."""
        numbers = []
        for source in sources:
            if source.pk not in self._numbers:
                self.sources.append(source)
                self._numbers[source.pk] = len(self.sources)
            numbers.append(self._numbers[source.pk])
        return sorted(set(numbers))


@dataclass
class BriefingPaper:
    """Each part of the briefing as (item, footnote numbers) pairs, and the footnotes."""

    members: list
    joined: int
    team: list
    decisions: list
    earlier_decisions: int
    pending: list
    footnotes: list
    filled_seats: int = 0
    seats: int = 0
    vacancies: list = field(default_factory=list)  # (post title, seats no source fills)
    disagreements: list = field(default_factory=list)  # [(conflict, [(claim, numbers)])]
    more_earlier_decisions: bool = False  # "more than" the count: see ``EARLIER_COUNTED``

    @property
    def disputed_ccgs(self):
        return {conflict.ccg_id for conflict, _ in self.disagreements}


def briefing_paper(*, on, since, known_at=None, with_notes=False, commissioner=None):
    """The briefing as at ``on``: decisions after ``since``, as recorded by ``known_at``.

    The record's own data-entry notes are not the sources' words: a printed paper leaves them
    out unless asked (``with_notes``; they come with the decisions, no more queries).
    """
    point = point_in_time_view(on, known_at, commissioner)
    notes = Footnotes()
    members = [(m, notes.cite(m.sources)) for m in point.members]
    team = [(a, notes.cite(a.cited)) for a in point.officers.shared_team]
    latest = changes_between(since, on, known_at, commissioner=commissioner)
    decisions = [
        (line, notes.cite(line.sources), line.record_note if with_notes else "")
        for line in briefing_changes(latest.events)
    ]
    structure = team_as_at(on, known_at, commissioner)
    pending = [
        (m, notes.cite(m.sources)) for m in point.members if m.status == MembershipStatus.PENDING
    ]
    disagreements = [
        (conflict, [(claim, notes.cite([claim.source])) for claim in conflict.claims.all()])
        for conflict in conflicts(known_at=known_at, commissioner=commissioner)
    ]
    return BriefingPaper(
        disagreements=disagreements,
        members=members,
        joined=len(point.joined),
        team=team,
        decisions=decisions,
        earlier_decisions=latest.earlier,
        more_earlier_decisions=latest.more,
        pending=pending,
        footnotes=notes.sources,
        filled_seats=structure.filled_seats,
        seats=structure.proposed_seats,
        vacancies=[
            (s.post.title, s.seats_not_stated) for s in structure.proposed if s.seats_not_stated
        ],
    )


# --- Dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class LastChange:
    when: datetime.datetime
    who: str


def last_change(known_at=None, commissioner=None):
    """The latest change to what the dashboard shows (memberships of ``commissioner``, when
    given, and who holds which of its posts), as recorded by the end of ``known_at`` (default:
    now); None for an empty record."""
    moment = recorded_by(known_at)
    latest = []
    memberships = Membership.history.all()
    assignments = Assignment.history.all()
    if commissioner is not None:
        memberships = memberships.filter(commissioner=commissioner)
        assignments = assignments.filter(post__commissioner=commissioner)
    for history in (memberships, assignments):
        rows = history.select_related("history_user").order_by("-history_date", "-history_id")
        row = (rows.filter(history_date__lte=moment) if moment else rows).first()
        if row is not None:
            latest.append(row)
    if not latest:
        return None
    row = max(latest, key=lambda each: each.history_date)
    user = row.history_user
    return LastChange(
        when=row.history_date,
        who=(user.get_full_name() or user.get_username()) if user else "the system",
    )
