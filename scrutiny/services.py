"""The one write the scrutiny layer owns: the committee meetings that scrutinised the record."""

from django.db import transaction

from records.citations import cited
from records.history import save_with_history
from records.models import EventKind
from records.services import timeline_add

from .models import ScrutinyMeeting


@transaction.atomic
def scrutiny_meeting_record(
    *,
    commissioner,
    committee,
    date,
    cancelled,
    item,
    outcome="",
    starts_at=None,
    ends_at=None,
    location="",
    sources,
    reason,
    user,
    recorded_at=None,
):
    """Record a scrutiny meeting of ``commissioner``'s record (the arrangement it scrutinised),
    held or cancelled, with its sources and a timeline event; the time and place only where a
    source gives them."""
    meeting = ScrutinyMeeting(
        commissioner=commissioner,
        committee=committee,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        cancelled=cancelled,
        item=item,
        outcome=outcome,
    )
    meeting.full_clean()
    sources = cited(sources)
    save_with_history(meeting, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    # "held" is not said: a committee paper shows an item was put to a meeting, not what happened.
    state = " cancelled" if cancelled else ""
    timeline_add(
        commissioner=commissioner,
        kind=EventKind.SCRUTINY_MEETING,
        date=date,
        title=f"{committee} meeting{state}: {item}",
        detail=outcome,
        sources=sources,
        recorded_at=recorded_at,
        subject=meeting,
    )
    return meeting
