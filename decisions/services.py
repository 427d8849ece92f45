"""The rules for recording decisions and the membership status they move.

Every change to a membership status goes through here,
inside one transaction, and leaves a history row naming the user and reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccgs.models import Commissioner
from records.citations import cited
from records.dates import Precision, since_phrase, stored
from records.history import StaleEdit, save_with_history
from records.models import EventKind
from records.services import source_create, timeline_add

from .models import Body, Decision, Membership, Outcome


def _status_change_title(ccg, status_label):
    return f"{ccg}: membership status now {status_label.lower()}"


@transaction.atomic
def decision_record(
    *,
    ccg,
    body,
    outcome,
    summary,
    sources,
    reason,
    user,
    meeting_date=None,
    meeting_date_precision=Precision.DAY,
    effective_date=None,
    effective_date_precision=Precision.DAY,
    expected_date=None,
    expected_date_precision=Precision.DAY,
    review_by=None,
    data_entry_note="",
    expected_version=None,
    commissioner=None,
    recorded_at=None,
):
    """Record a decision and move the CCG's membership status to match, all or nothing.

    ``expected_version`` is the membership version the user's form was opened
    at; if someone changed the membership since, ``StaleEdit`` is raised and
    nothing is written.
    """
    commissioner = commissioner or Commissioner.objects.get()
    meeting_date, meeting_date_precision = stored(meeting_date, meeting_date_precision)
    effective_date, effective_date_precision = stored(effective_date, effective_date_precision)
    expected_date, expected_date_precision = stored(expected_date, expected_date_precision)
    decision = Decision(
        ccg=ccg,
        commissioner=commissioner,
        body=body,
        outcome=outcome,
        summary=summary,
        meeting_date=meeting_date,
        meeting_date_precision=meeting_date_precision,
        effective_date=effective_date,
        effective_date_precision=effective_date_precision,
        expected_date=expected_date,
        expected_date_precision=expected_date_precision,
        data_entry_note=data_entry_note,
        recorded_by=user,
        recorded_at=recorded_at or timezone.now(),
    )
    errors = {}
    try:
        decision.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        sources = cited(sources)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not (reason or "").strip():
        errors["reason"] = ["Give the reason for this change."]
    if errors:
        raise ValidationError(errors)

    membership = None
    if ccg is not None:
        membership = Membership.objects.select_for_update().get(ccg=ccg, commissioner=commissioner)
        if expected_version is not None and membership.version != expected_version:
            raise StaleEdit(
                membership.history.filter(version__gt=expected_version).select_related(
                    "history_user"
                )
            )
        _check_not_before_current_status(membership, decision)

    save_with_history(decision, user=user, reason=reason, recorded_at=recorded_at)
    decision.sources.set(sources)
    body_text = (
        "deciding body not stated"
        if body == Body.NOT_STATED
        else decision.get_body_display().lower()
    )
    timeline_add(
        kind=EventKind.DECISION,
        date=meeting_date or effective_date or timezone.localdate(decision.recorded_at),
        date_precision=(
            meeting_date_precision
            if meeting_date
            else effective_date_precision
            if effective_date
            else Precision.ON_OR_BEFORE
        ),
        title=f"{ccg or commissioner}: {decision.get_outcome_display().lower()} ({body_text})",
        detail=summary,
        sources=sources,
        recorded_at=recorded_at,
        ccg=ccg,
        subject=decision,
    )
    if membership is not None and outcome != Outcome.NOTED:
        _membership_follow(membership, decision, review_by, user, reason, recorded_at, sources)
    return decision


@transaction.atomic
def decision_record_citing_new_source(*, new_source, ccg, user, reason, **decision):
    """Add the source a decision cites and record the decision: both, or neither.

    The source's errors come back under the names ``new_source_<field>``, so a
    form can show them beside the boxes they concern, with the decision's own.
    """
    try:
        source = source_create(
            **new_source, user=user, reason=f"Cited for a decision of {ccg}: {reason}"
        )
    except ValidationError as error:
        raise ValidationError(
            {f"new_source_{name}": messages for name, messages in error.message_dict.items()}
        ) from error
    return decision_record(ccg=ccg, sources=[source], user=user, reason=reason, **decision)


def _status_since(decision):
    """When the status a decision brings starts: its effective date, else its meeting,
    else 'by' the day it was recorded, so that no status is left without a date."""
    if decision.effective_date:
        return decision.effective_date, decision.effective_date_precision
    if decision.meeting_date:
        return decision.meeting_date, decision.meeting_date_precision
    return timezone.localdate(decision.recorded_at), Precision.ON_OR_BEFORE


def _check_not_before_current_status(membership, decision):
    """Refuse a status change dated before the status in force.

    The current row would otherwise show the older decision while every
    point-in-time view, which reads the history by date, still shows the newer.
    """
    if decision.new_status is None or membership.since is None:
        return
    if decision.new_status == membership.status and not decision.effective_date:
        return
    since, _ = _status_since(decision)
    if since < membership.since:
        raise ValidationError(
            {
                "effective_date": (
                    f"This decision takes effect before the current status "
                    f"({membership.get_status_display().lower()} "
                    f"{since_phrase(membership.since, membership.since_precision)}). "
                    "Record decisions in the order they took effect."
                )
            }
        )


def _membership_follow(membership, decision, review_by, user, reason, recorded_at, sources):
    """Move the membership to the status the decision implies, with its history row."""
    new_status = decision.new_status
    status_changed = membership.status != new_status
    membership.decision = decision
    if status_changed or decision.effective_date:
        membership.status = new_status
        membership.since, membership.since_precision = _status_since(decision)
    membership.expected_decision = decision.expected_date
    membership.expected_decision_precision = decision.expected_date_precision
    membership.review_by = review_by or decision.expected_date
    membership.version += 1
    membership.full_clean()
    save_with_history(membership, user=user, reason=reason, recorded_at=recorded_at)
    if status_changed:
        timeline_add(
            kind=EventKind.STATUS_CHANGE,
            date=membership.since,
            date_precision=membership.since_precision,
            title=_status_change_title(membership.ccg, membership.get_status_display()),
            detail=reason,
            sources=sources,
            recorded_at=recorded_at,
            ccg=membership.ccg,
            subject=decision,
        )


@transaction.atomic
def membership_open(
    *, ccg, commissioner, since, since_precision, sources, reason, user, recorded_at=None
):
    """Start a CCG's membership record at 'considering', the state before any decision."""
    since, since_precision = stored(since, since_precision)
    membership = Membership(
        ccg=ccg,
        commissioner=commissioner,
        status="considering",
        since=since,
        since_precision=since_precision,
        source=sources[0] if sources else None,
    )
    membership.full_clean()
    save_with_history(membership, user=user, reason=reason, recorded_at=recorded_at)
    timeline_add(
        kind=EventKind.STATUS_CHANGE,
        date=since,
        date_precision=since_precision,
        title=_status_change_title(ccg, membership.get_status_display()),
        detail=reason,
        sources=sources,
        recorded_at=recorded_at,
        ccg=ccg,
    )
    return membership
