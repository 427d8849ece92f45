from django.db import transaction
from django.utils import timezone

from kmcommission.dates import Precision, normalise
from kmcommission.history import save_with_history

from .models import EventKind, ScrutinyMeeting, TimelineEvent


def timeline_add(
    *,
    kind,
    date,
    date_precision=Precision.DAY,
    title,
    detail="",
    sources=(),
    recorded_at=None,
    ccg=None,
    locality_group=None,
    person=None,
    **refs,
):
    """Add one event to the timeline; called by the service that made the change."""
    event = TimelineEvent.objects.create(
        kind=kind,
        date=date,
        date_precision=date_precision,
        recorded_at=recorded_at or timezone.now(),
        ccg=ccg,
        locality_group=locality_group or (ccg.locality_group if ccg else None),
        person=person,
        title=title,
        detail=detail,
        **refs,
    )
    event.sources.set(sources)
    return event


@transaction.atomic
def scrutiny_meeting_record(
    *, committee, date, cancelled, item, outcome="", sources, reason, user, recorded_at=None
):
    """Record a scrutiny meeting, held or cancelled, with its sources and a timeline event."""
    meeting = ScrutinyMeeting(
        committee=committee, date=date, cancelled=cancelled, item=item, outcome=outcome
    )
    meeting.full_clean()
    save_with_history(meeting, user=user, reason=reason, recorded_at=recorded_at)
    meeting.sources.set(sources)
    state = "cancelled" if cancelled else "held"
    timeline_add(
        kind=EventKind.SCRUTINY_MEETING,
        date=normalise(date, Precision.DAY),
        title=f"{committee} meeting {state}: {item}",
        detail=outcome,
        sources=sources,
        recorded_at=recorded_at,
        meeting=meeting,
    )
    return meeting
