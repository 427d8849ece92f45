"""Reading the membership record at a point in time."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from ccgs.models import CCG
from records.dates import format_fuzzy, iso_fuzzy, since_phrase
from records.points import recorded_by

from .derivation import LoggedDecision, in_order, state_on
from .derivation_sql import latest_in_order
from .models import Decision, Membership, MembershipStatus, Outcome, PendingReview, Withdrawal


@dataclass
class MemberState(PendingReview):
    """One CCG's membership as it stood on a date, as the record knew it then."""

    ccg: CCG
    status: str | None
    since: datetime.date | None
    since_precision: str
    decision: Decision | None
    sources: list
    expected_decision: datetime.date | None
    expected_decision_precision: str
    review_by: datetime.date | None
    on: datetime.date

    @property
    def status_label(self):
        return MembershipStatus(self.status).label if self.status else "Not yet recorded"

    @property
    def since_display(self):
        return format_fuzzy(self.since, self.since_precision) if self.since else ""

    @property
    def since_phrase(self):
        """'since 19 March 2018', or 'by 27 February 2018' where a source gives a latest day."""
        return since_phrase(self.since, self.since_precision) if self.since else ""

    @property
    def overdue(self):
        """Pending with its review date passed, as the record stood on the day shown."""
        return self.overdue_on(self.on)

    def as_json(self):
        return {
            "ccg": self.ccg.name,
            "ods_code": self.ccg.ods_code,
            "locality": self.ccg.locality_group.name if self.ccg.locality_group else None,
            "status": self.status,
            "since": iso_fuzzy(self.since, self.since_precision),
            "since_precision": self.since_precision if self.since else None,
            "expected_decision": iso_fuzzy(
                self.expected_decision, self.expected_decision_precision
            ),
            "decision": self.decision.as_json() if self.decision else None,
            "sources": [source.as_citation() for source in self.sources],
        }


def decision_logs(known_at: datetime.date | None = None, ccgs=None, commissioner=None, until=None):
    """{CCG id: its status-moving decisions in order} as recorded by ``known_at``, about
    ``commissioner`` (an arrangement; None: every decision, for a record with one).

    One query whatever the number of CCGs, of plain values rather than model instances
    (``LoggedDecision``): a national record holds thousands of decisions, and a page
    completes only the few in effect (``member_states``).

    ``until``: only the decisions in effect by that day, which is all ``state_on`` that
    day reads. A decision taking effect later cannot move one in effect by then: it
    places a decision known only "by" a day no earlier than that day (see the rules).
    """
    decisions = (
        Decision.objects.current(known_at)
        .exclude(ccg=None)
        .exclude(outcome=Outcome.NOTED)
        .order_by()  # ``in_order`` sorts
        .values_list(*LoggedDecision.FIELDS)
    )
    if ccgs is not None:
        decisions = decisions.filter(ccg__in=ccgs)
    if commissioner is not None:
        decisions = decisions.filter(commissioner=commissioner)
    if until is not None:
        decisions = decisions.filter(in_effect_from__lte=until)
    by_ccg = defaultdict(list)
    for row in decisions:
        decision = LoggedDecision(*row)
        by_ccg[decision.ccg_id].append(decision)
    return {ccg_id: in_order(log) for ccg_id, log in by_ccg.items()}


def member_states(ccgs, logs, on):
    """Each of ``ccgs``' MemberState on ``on`` from their ordered decision logs; two queries
    complete the decisions in effect, with their sources."""
    states = [(ccg, state_on(logs.get(ccg.pk, []), on)) for ccg in ccgs]
    in_effect = {state.decision.pk for _, state in states if state.decision}
    complete = (
        Decision.objects.filter(pk__in=in_effect).prefetch_related("sources").in_bulk()
        if in_effect
        else {}
    )
    return [
        _member_state(ccg, complete.get(getattr(state.decision, "pk", None)), state.first, on)
        for ccg, state in states
    ]


def member_state(ccg, log, on):
    """``ccg``'s MemberState on ``on`` from its ordered decision log."""
    (state,) = member_states([ccg], {ccg.pk: log}, on)
    return state


def _member_state(ccg, decision, first, on):
    return _state(
        ccg,
        decision,
        first.in_effect_from if first else None,
        first.in_effect_from_precision if first else "day",
        on,
    )


def _state(ccg, decision, since, since_precision, on):
    return MemberState(
        ccg=ccg,
        status=decision.new_status if decision else None,
        since=since,
        since_precision=since_precision,
        # A CCG's first "considering" is the record's starting point, not a decision.
        decision=decision if decision and decision.outcome != Outcome.CONSIDERING else None,
        sources=list(decision.sources.all()) if decision else [],
        expected_decision=decision.expected_date if decision else None,
        expected_decision_precision=decision.expected_date_precision if decision else "day",
        review_by=decision.review_by if decision else None,
        on=on,
    )


def arrangement_ccgs(commissioner=None):
    """The CCGs of an arrangement: those with a membership of it (every CCG for None)."""
    ccgs = CCG.objects.select_related("locality_group")
    if commissioner is not None:
        ccgs = ccgs.filter(memberships__commissioner=commissioner)
    return ccgs


def arrangement_ccgs_on(commissioner, on, known_at=None):
    """The CCGs of an arrangement at a point in time (one query): the CCGs it started with,
    and those the record added later that it held on ``on`` and by the end of ``known_at``.

    A CCG added later (in the admin) counts from the day the record added its membership
    (the membership's first history row): it is not in the arrangement as it stood, or as
    it was recorded, on an earlier day, so no earlier answer changes. The CCGs the
    arrangement started with (added on the day of its first membership) count at every
    point in time, as "not yet recorded" until their first decision, as they always have.
    """
    ccgs = arrangement_ccgs(commissioner)
    if commissioner is None:
        return list(ccgs)
    memberships = Membership.history.filter(commissioner=commissioner, history_type="+")
    added = memberships.filter(ccg=OuterRef("pk")).order_by("history_date")
    first = memberships.order_by("history_date")
    ccgs = ccgs.annotate(
        added=Subquery(added.values("history_date")[:1]),
        arrangement_began=Subquery(first.values("history_date")[:1]),
    )
    moment = recorded_by(known_at)
    kept = []
    for ccg in ccgs:
        # A membership with no history row (loaded as data) counts throughout.
        later = ccg.added is not None and (
            timezone.localdate(ccg.added) != timezone.localdate(ccg.arrangement_began)
        )
        if later and (timezone.localdate(ccg.added) > on or (moment and ccg.added > moment)):
            continue
        kept.append(ccg)
    return kept


def membership_as_at(on: datetime.date, known_at: datetime.date | None = None, commissioner=None):
    """Every CCG's membership of ``commissioner`` (an arrangement) in effect on ``on``, as
    recorded by ``known_at`` (default: now): those it held then (``arrangement_ccgs_on``).

    At most six queries, however many CCGs, decisions or arrangements. As now known, a
    CCG's state comes from its Membership row where none of its decisions takes effect
    after ``on`` (``states_recorded_now``): a national record's log of thousands of
    decisions is then not read at all.
    """
    ccgs = arrangement_ccgs_on(commissioner, on, known_at)
    states = states_recorded_now(ccgs, on, commissioner) if known_at is None else {}
    rest = [ccg for ccg in ccgs if ccg.pk not in states]
    if rest:
        logs = decision_logs(known_at, rest, commissioner, until=on)
        states.update((state.ccg.pk, state) for state in member_states(rest, logs, on))
    return [states[ccg.pk] for ccg in ccgs]


def states_recorded_now(ccgs, on, commissioner):
    """{CCG id: MemberState on ``on``, as now known} from the Membership rows, for those of
    ``ccgs`` none of whose decisions about ``commissioner`` takes effect after ``on``.

    The services keep each row as its log stands on the last day (``decisions.services``;
    the property test holds them to it); with nothing in the log after ``on``, the log
    stands the same on ``on``. One query, two with the decisions' sources.
    """
    if commissioner is None:
        return {}  # a record with one arrangement reads its whole log
    later = Decision.objects.filter(commissioner=commissioner, ccg__in=ccgs, in_effect_from__gt=on)
    rows = (
        Membership.objects.filter(commissioner=commissioner, ccg__in=ccgs)
        .exclude(ccg__in=later.values("ccg"))
        .select_related("decision")
        .prefetch_related("decision__sources")
    )
    by_ccg = {ccg.pk: ccg for ccg in ccgs}
    return {
        row.ccg_id: _state(by_ccg[row.ccg_id], row.decision, row.since, row.since_precision, on)
        for row in rows
    }


# --- Pages: the dashboard and the CCG page -------------------------------------------------


@dataclass
class LocalityGroupStates:
    """The states of one locality group's CCGs; ``group`` is None for CCGs in no group."""

    group: object
    states: list


def group_by_locality(states):
    """States grouped by locality group in the groups' order; CCGs without a group last."""
    groups = {}
    ungrouped = []
    for state in states:
        group = state.ccg.locality_group
        if group is None:
            ungrouped.append(state)
        else:
            groups.setdefault(group.pk, LocalityGroupStates(group, [])).states.append(state)
    ordered = sorted(groups.values(), key=lambda g: (g.group.order, g.group.name))
    if ungrouped:
        ordered.append(LocalityGroupStates(None, ungrouped))
    return ordered


def joined_count(states):
    """(CCGs joined, CCGs in the record), for the headline."""
    return sum(state.status == MembershipStatus.JOINED for state in states), len(states)


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    """One row of a membership's audit history, with what it changed."""

    who: str
    when: datetime.datetime
    why: str
    kind: str
    changes: list


def _user_name(user):
    if user is None:
        return "Unknown user"
    return user.get_full_name() or user.get_username()


# What a membership's history shows, as (label, value of a history row as text).
def _membership_fields(decision_text):
    return [
        ("Status", lambda row: MembershipStatus(row.status).label if row.status else ""),
        (
            "In effect since",
            lambda row: format_fuzzy(row.since, row.since_precision) if row.since else "",
        ),
        ("Decision", lambda row: decision_text(row.decision_id)),
        (
            "Decision expected",
            lambda row: (
                format_fuzzy(row.expected_decision, row.expected_decision_precision)
                if row.expected_decision
                else ""
            ),
        ),
        (
            "Review by",
            lambda row: format_fuzzy(row.review_by) if row.review_by else "",
        ),
    ]


HISTORY_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


# A CCG page shows the latest ten decisions and ten history rows, the rest a link away
# (the timeline; "Earlier changes"). Every CCG of the 2018 record fits on one page; a CCG
# with thousands of decisions costs little more than one with three, most of a page's
# time being its rows' markup.
HISTORY_PAGE = 10
DECISIONS_SHOWN = 10


@dataclass
class HistoryPage:
    """A page of a membership's audit history, newest first; ``earlier`` is the cursor of
    the next page back (the history id of the oldest row shown), None at the beginning."""

    entries: list
    earlier: int | None


def membership_history(membership, decisions_by_id=None, before=None, size=HISTORY_PAGE):
    """A page of the audit history of ``membership``: ``size`` rows, newest first, older
    than the row ``before`` (a history id), each with its field changes.

    A fixed number of queries however long the history (keyset, not OFFSET): the row
    the cursor names, the rows with their users (one more than shown, the baseline of
    the oldest one's changes), and at most one for their decisions. The diffs are
    computed here rather than by ``diff_against`` per row, which would query for each.
    """
    rows = membership.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    if before is not None:
        cursor = membership.history.filter(history_id=before).first()
        if cursor is not None:
            rows = rows.filter(
                Q(history_date__lt=cursor.history_date)
                | Q(history_date=cursor.history_date, history_id__lt=cursor.history_id)
            )
    rows = list(rows[: size + 1])
    shown, baseline = rows[:size], (rows[size] if len(rows) > size else None)
    decisions_by_id = dict(decisions_by_id or {})
    missing = {row.decision_id for row in rows if row.decision_id} - set(decisions_by_id)
    if missing:
        decisions_by_id.update(Decision.objects.in_bulk(missing))

    def decision_text(pk):
        if pk is None:
            return ""
        decision = decisions_by_id.get(pk)
        if decision is None:
            return f"Decision {pk}"
        # Not str(decision): that fetches the CCG for each row.
        return f"{decision.get_outcome_display()} ({decision.meeting_date_display})"

    fields = _membership_fields(decision_text)
    entries = []
    for row, previous in zip(shown, [*shown[1:], baseline], strict=True):
        changes = []
        for label, value in fields:
            new = value(row)
            old = value(previous) if previous is not None else ""
            if new != old:
                changes.append(FieldChange(label, old, new))
        entries.append(
            HistoryEntry(
                who=_user_name(row.history_user),
                when=row.history_date,
                why=row.history_change_reason or "",
                kind=HISTORY_KINDS.get(row.history_type, row.history_type),
                changes=changes,
            )
        )
    return HistoryPage(entries, shown[-1].history_id if baseline is not None else None)


@dataclass
class CCGDecisions:
    """The latest decisions about a CCG, in the order they took effect, and how many in all."""

    shown: list
    total: int

    @property
    def earlier(self):
        return self.total - len(self.shown)


def ccg_decisions(ccg, latest=DECISIONS_SHOWN, commissioner=None):
    """The ``latest`` decisions about ``ccg`` (and ``commissioner``, when given) in the order
    they took effect, corrected and withdrawn ones too, each with its sources, who recorded
    it, its correction and its withdrawal. The database orders the log and returns only
    those shown (``derivation_sql``), so a CCG with thousands of decisions costs the same
    few queries and little more time."""
    decisions = Decision.objects.filter(ccg=ccg).exclude(outcome=Outcome.CONSIDERING)
    if commissioner is not None:
        decisions = decisions.filter(commissioner=commissioner)
    shown, total = latest_in_order(decisions, latest)
    corrections = Prefetch(
        "corrections", queryset=Decision.objects.select_related("recorded_by").order_by("pk")
    )
    complete = (
        Decision.objects.filter(pk__in=[decision.pk for decision in shown])
        .select_related("recorded_by", "withdrawal__recorded_by")
        .prefetch_related("sources", corrections)
        .in_bulk()
    )
    shown = [complete[decision.pk] for decision in shown]
    for decision in shown:
        decision.correction = next(iter(decision.corrections.all()), None)
    return CCGDecisions(shown, total)


def membership_changes(membership_id, changes):
    """The history rows a stale form missed, each as who, when, why, old and new status.

    ``changes`` are the rows ``StaleEdit`` carries (newer than the form's version);
    one query finds the status each of them replaced.
    """
    changes = sorted(changes, key=lambda row: (row.version, row.history_date))
    if not changes:
        return []
    before = (
        Membership.history.filter(id=membership_id, version__lt=changes[0].version)
        .order_by("-version", "-history_date")
        .first()
    )
    previous_status = before.status if before else None
    result = []
    for row in changes:
        result.append(
            {
                "who": _user_name(row.history_user),
                "when": row.history_date,
                "why": row.history_change_reason or "",
                "old_status": MembershipStatus(previous_status).label if previous_status else "",
                "new_status": MembershipStatus(row.status).label,
            }
        )
        previous_status = row.status
    return result


@dataclass
class Replacement:
    """What became of a decision that no longer counts: corrected (by ``correction``) or
    withdrawn (``withdrawal``), and the decision that counts now, if any."""

    correction: Decision | None
    withdrawal: object | None
    current: Decision | None


def current_replacement(decision):
    """None while ``decision`` counts; else what replaced it, following corrections through."""
    correction = decision.corrections.select_related("recorded_by").first()
    withdrawal = Withdrawal.objects.select_related("recorded_by").filter(decision=decision).first()
    if correction is None and withdrawal is None:
        return None
    current = correction
    while current is not None and (
        current.corrections.exists() or Withdrawal.objects.filter(decision=current).exists()
    ):
        current = current.corrections.first()
    return Replacement(correction=correction, withdrawal=withdrawal, current=current)
