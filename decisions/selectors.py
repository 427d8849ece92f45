"""Reading the membership record at a point in time."""

import datetime
from dataclasses import dataclass

from django.db import models

from ccgs.models import CCG
from records.dates import format_fuzzy, iso_fuzzy
from records.models import Source

from .models import Decision, Membership, MembershipStatus, PendingReview


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
    membership_id: int | None
    on: datetime.date

    @property
    def status_label(self):
        return MembershipStatus(self.status).label if self.status else "Not yet recorded"

    @property
    def since_display(self):
        return format_fuzzy(self.since, self.since_precision) if self.since else ""

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


def membership_as_at(on: datetime.date, known_at: datetime.date | None = None):
    """Every CCG's membership in effect on ``on``, as recorded by ``known_at`` (default: now).

    A fixed number of queries, however many CCGs or history rows.
    """
    ccgs = list(CCG.objects.select_related("locality_group"))
    rows = Membership.objects.in_effect(on, known_at)
    by_ccg = {row.ccg_id: row for row in rows.values()}
    decisions = Decision.objects.prefetch_related("sources").in_bulk(
        {row.decision_id for row in by_ccg.values() if row.decision_id}
    )
    plain_sources = Source.objects.in_bulk(
        {row.source_id for row in by_ccg.values() if row.source_id and not row.decision_id}
    )
    states = []
    for ccg in ccgs:
        row = by_ccg.get(ccg.pk)
        decision = decisions.get(row.decision_id) if row and row.decision_id else None
        if decision:
            sources = list(decision.sources.all())
        elif row and row.source_id:
            sources = [plain_sources[row.source_id]]
        else:
            sources = []
        states.append(
            MemberState(
                ccg=ccg,
                status=row.status if row else None,
                since=row.since if row else None,
                since_precision=row.since_precision if row else "day",
                decision=decision,
                sources=sources,
                expected_decision=row.expected_decision if row else None,
                expected_decision_precision=row.expected_decision_precision if row else "day",
                review_by=row.review_by if row else None,
                membership_id=row.id if row else None,
                on=on,
            )
        )
    return states


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
def _membership_fields(decision_text, source_text):
    return [
        ("Status", lambda row: MembershipStatus(row.status).label if row.status else ""),
        (
            "In effect since",
            lambda row: format_fuzzy(row.since, row.since_precision) if row.since else "",
        ),
        ("Decision", lambda row: decision_text(row.decision_id)),
        ("Source", lambda row: source_text(row.source_id)),
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


def membership_history(membership, decisions_by_id=None):
    """The audit history of ``membership``, newest first, each row with its field changes.

    One query for the rows (with their users) and at most one for cited sources;
    the diffs are computed here rather than by ``diff_against`` per row, which
    would query for each.
    """
    rows = list(
        membership.history.select_related("history_user").order_by("history_date", "history_id")
    )
    decisions_by_id = dict(decisions_by_id or {})
    missing = {row.decision_id for row in rows if row.decision_id} - set(decisions_by_id)
    if missing:
        decisions_by_id.update(Decision.objects.in_bulk(missing))
    sources = Source.objects.in_bulk({row.source_id for row in rows if row.source_id})

    def decision_text(pk):
        if pk is None:
            return ""
        decision = decisions_by_id.get(pk)
        if decision is None:
            return f"Decision {pk}"
        # Not str(decision): that fetches the CCG for each row.
        return f"{decision.get_outcome_display()} ({decision.meeting_date_display})"

    def source_text(pk):
        if pk is None:
            return ""
        source = sources.get(pk)
        return str(source) if source else f"Source {pk}"

    fields = _membership_fields(decision_text, source_text)
    entries = []
    previous = None
    for row in rows:
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
        previous = row
    entries.reverse()
    return entries


def ccg_decisions(ccg):
    """Every decision about ``ccg``, oldest first, with its sources and who recorded it."""
    return list(
        Decision.objects.filter(ccg=ccg)
        .select_related("recorded_by")
        .prefetch_related("sources")
        .order_by(
            models.F("meeting_date").asc(nulls_last=True),
            models.F("effective_date").asc(nulls_last=True),
            "recorded_at",
        )
    )


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
