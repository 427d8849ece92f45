"""Reading the membership record at a point in time."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from decisions.models import Decision, Source
from kmcommission.dates import format_fuzzy, iso_fuzzy

from .models import CCG, Membership, MembershipStatus


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in local time: 'as recorded on 1 March' includes 1 March."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight) - datetime.timedelta(microseconds=1)


@dataclass
class MemberState:
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

    @property
    def status_label(self):
        return MembershipStatus(self.status).label if self.status else "Not yet recorded"

    @property
    def since_display(self):
        return format_fuzzy(self.since, self.since_precision) if self.since else ""

    @property
    def expected_decision_display(self):
        return format_fuzzy(self.expected_decision, self.expected_decision_precision)

    def overdue_for_review(self, today):
        return (
            self.status == MembershipStatus.PENDING
            and self.review_by is not None
            and self.review_by < today
        )

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


def membership_as_at(on: datetime.date, known_at: datetime.datetime | None = None):
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
            )
        )
    return states
