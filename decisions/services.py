"""The rules for recording decisions and the membership status they move.

Every change to a membership status goes through here,
inside one transaction, and leaves a history row naming the user and reason.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccgs.models import CCG, Commissioner
from records.citations import cited
from records.dates import Precision, stored
from records.history import StaleEdit, save_with_history
from records.models import EventKind
from records.services import source_create, timeline_add

from .derivation import in_order, state_on
from .models import Body, Decision, Membership, MembershipStatus, Outcome, Withdrawal
from .selectors import current_replacement

LATEST_DAY = datetime.date(2100, 12, 31)


def _status_change_title(ccg, status_label):
    return f"{ccg}: membership status now {status_label.lower()}"


def evidence_date(sources, recorded_at):
    """(day, precision): "by" the latest date its sources were published, for a fact that gives
    no date of its own; "by" the day it was recorded where no source is dated."""
    dated = [s for s in sources if s.published]
    if not dated:
        return timezone.localdate(recorded_at), Precision.ON_OR_BEFORE
    latest = max(dated, key=lambda s: s.published)
    if latest.published_precision in (Precision.MONTH, Precision.BY_MONTH, Precision.YEAR):
        return latest.published, Precision.BY_MONTH
    return latest.published, Precision.ON_OR_BEFORE


def in_effect_from(decision, sources):
    """When the status a decision brings holds from: the date it takes effect, else its meeting,
    else no earlier than its evidence ("by" its sources' date)."""
    if decision.effective_date:
        return decision.effective_date, decision.effective_date_precision
    if decision.meeting_date:
        return decision.meeting_date, decision.meeting_date_precision
    return evidence_date(sources, decision.recorded_at)


def _locked_membership(ccg, commissioner, expected_version):
    """The CCG's membership, locked; StaleEdit if it changed since the form was opened."""
    membership = Membership.objects.select_for_update().get(ccg=ccg, commissioner=commissioner)
    if expected_version is not None and membership.version != expected_version:
        raise StaleEdit(
            membership.history.filter(version__gt=expected_version).select_related("history_user")
        )
    return membership


def _refuse_if_not_current(decision):
    """A corrected or withdrawn decision is kept as it was; point at what replaced it."""
    replaced = current_replacement(decision)
    if replaced is None:
        return
    if replaced.correction is not None:
        correction = replaced.correction
        raise ValidationError(
            f"This decision was corrected on {timezone.localdate(correction.recorded_at):%-d %B %Y}"
            f" (decision {correction.pk}). Correct the current decision instead."
        )
    raise ValidationError("This decision was withdrawn; there is nothing to correct.")


def _log_state(membership, on, exclude=None):
    """The state of ``membership``'s CCG on ``on`` from its current decision log."""
    # One arrangement's decisions: a CCG's decision on another arrangement moves nothing here.
    decisions = Decision.objects.current().filter(
        ccg=membership.ccg_id, commissioner=membership.commissioner_id
    )
    decisions = decisions.exclude(outcome=Outcome.NOTED)
    if exclude is not None:
        decisions = decisions.exclude(pk=exclude.pk)
    return state_on(in_order(decisions), on)


def _membership_refresh(membership, *, user, reason, recorded_at):
    """Rewrite the membership (the record now) from the decision log, with its history row;
    the version moves on every decision, so a second submit of the same form is refused."""
    state = _log_state(membership, LATEST_DAY)
    decision, first = state.decision, state.first
    membership.status = state.status or ""
    membership.since = first.in_effect_from if first else None
    membership.since_precision = first.in_effect_from_precision if first else Precision.DAY
    membership.decision = decision
    membership.expected_decision = decision.expected_date if decision else None
    membership.expected_decision_precision = (
        decision.expected_date_precision if decision else Precision.DAY
    )
    membership.review_by = decision.review_by if decision else None
    membership.version += 1
    membership.full_clean()
    save_with_history(membership, user=user, reason=reason, recorded_at=recorded_at)
    return membership


def _status_event(membership, decision, sources, reason, recorded_at):
    """A timeline event where the decision moves the status in effect on the day it holds from."""
    if decision.new_status is None:
        return
    before = _log_state(
        membership, decision.in_effect_from - datetime.timedelta(days=1), exclude=decision
    )
    if before.status == decision.new_status:
        return
    timeline_add(
        commissioner=decision.commissioner_id,
        kind=EventKind.STATUS_CHANGE,
        date=decision.in_effect_from,
        date_precision=decision.in_effect_from_precision,
        title=_status_change_title(membership.ccg, MembershipStatus(decision.new_status).label),
        detail=reason,
        sources=sources,
        recorded_at=recorded_at,
        ccg=membership.ccg,
        subject=decision,
    )


def _the_only_arrangement():
    arrangements = list(Commissioner.objects.order_by("pk")[:2])
    if len(arrangements) != 1:
        raise ValidationError(
            "Say which arrangement this decision is about: the record holds "
            f"{'no' if not arrangements else 'more than one'} arrangement."
        )
    return arrangements[0]


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
    corrects=None,
    recorded_at=None,
):
    """Record a decision (or, with ``corrects``, the correction of one) and rewrite the CCG's
    membership from the decision log, all or nothing.

    A decision may take effect before the status now in force: facts arrive late,
    and the record in effect between then and now is derived again. Every decision
    moves the membership's version; ``expected_version`` is the version the user's
    form was opened at, and if someone changed the membership since (or the same
    form was sent twice) ``StaleEdit`` is raised and nothing is written.
    """
    commissioner = commissioner or _the_only_arrangement()
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
        review_by=review_by or expected_date,
        data_entry_note=data_entry_note,
        corrects=corrects,
        reason=(reason or "").strip(),
        recorded_by=user,
        recorded_at=recorded_at or timezone.now(),
    )
    errors = {}
    try:
        sources = cited(sources)
    except ValidationError as error:
        errors.update(error.message_dict)
    decision.in_effect_from, decision.in_effect_from_precision = in_effect_from(
        decision, sources if not errors else []
    )
    try:
        decision.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if not decision.reason:
        errors["reason"] = ["Give the reason for this change."]
    if errors:
        raise ValidationError(errors)

    membership = None
    if ccg is not None:
        membership = _locked_membership(ccg, commissioner, expected_version)
    if corrects is not None:
        _refuse_if_not_current(corrects)

    save_with_history(decision, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    _decision_event(decision, sources, recorded_at)
    if membership is not None:
        _status_event(membership, decision, sources, reason, recorded_at)
        _membership_refresh(membership, user=user, reason=reason, recorded_at=recorded_at)
    return decision


def headline(summary, limit=160):
    """The first sentence of ``summary``, cut at a word to ``limit`` characters."""
    first = summary.strip().split(". ")[0].strip().rstrip(".")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + "…"


def _decision_event(decision, sources, recorded_at):
    """The decision's line on the timeline; a correction's says what it corrects and why."""
    if decision.outcome == Outcome.CONSIDERING:
        return  # the record's starting point: its status line is enough
    who = decision.ccg or decision.commissioner
    if decision.outcome == Outcome.NOTED:
        # Something noted changes no membership (an appointment, an announcement): its line
        # says what it was, in the summary's words, rather than what it did not do.
        what = headline(decision.summary)
    else:
        what = f"{decision.get_outcome_display().lower()} ({decision.body_in_text})"
    corrects = decision.corrects
    if decision.meeting_date:
        date, precision = decision.meeting_date, decision.meeting_date_precision
    else:
        date, precision = decision.in_effect_from, decision.in_effect_from_precision
    timeline_add(
        commissioner=decision.commissioner_id,
        kind=EventKind.CORRECTION if corrects else EventKind.DECISION,
        date=date,
        date_precision=precision,
        title=f"{who}: decision corrected, now {what}" if corrects else f"{who}: {what}",
        detail=f"Corrected: {decision.reason}. {decision.summary}"
        if corrects
        else decision.summary,
        sources=sources,
        recorded_at=recorded_at,
        ccg=decision.ccg,
        subject=decision,
    )


@transaction.atomic
def decision_record_citing_new_source(
    *, new_source, ccg, user, reason, commissioner=None, **decision
):
    """Add the source a decision cites and record the decision: both, or neither. The source
    joins the record of the decision's arrangement.

    The source's errors come back under the names ``new_source_<field>``, so a
    form can show them beside the boxes they concern, with the decision's own.
    """
    commissioner = commissioner or _the_only_arrangement()
    try:
        source = source_create(
            **new_source,
            user=user,
            commissioner=commissioner,
            reason=f"Cited for a decision of {ccg}: {reason}",
        )
    except ValidationError as error:
        raise ValidationError(
            {f"new_source_{name}": messages for name, messages in error.message_dict.items()}
        ) from error
    return decision_record(
        ccg=ccg,
        sources=[source],
        user=user,
        reason=reason,
        commissioner=commissioner,
        **decision,
    )


@transaction.atomic
def memberships_for_new_ccg(*, ccg, user, reason, recorded_at=None):
    """A CCG new to the record joins every arrangement with no record yet, so that its
    decision form works from the start."""
    for commissioner in Commissioner.objects.exclude(memberships__ccg=ccg):
        membership_add(
            ccg=ccg, commissioner=commissioner, user=user, reason=reason, recorded_at=recorded_at
        )


@transaction.atomic
def membership_add(*, ccg, commissioner, user, reason, recorded_at=None):
    """A CCG joins one arrangement's record with no status yet ("no record yet"): no source
    gives one until its first decision."""
    membership = Membership(ccg=ccg, commissioner=commissioner, status="", version=1)
    membership.full_clean()
    save_with_history(membership, user=user, reason=reason, recorded_at=recorded_at)
    return membership


@transaction.atomic
def memberships_for_new_arrangement(*, commissioner, user, reason, recorded_at=None):
    """Every CCG joins an arrangement new to the record with no record yet, so that a
    decision about it can be recorded for any of them."""
    for ccg in CCG.objects.exclude(memberships__commissioner=commissioner).order_by("pk"):
        membership_add(
            ccg=ccg, commissioner=commissioner, user=user, reason=reason, recorded_at=recorded_at
        )


@transaction.atomic
def membership_open(
    *, ccg, commissioner, since, since_precision, sources, reason, user, recorded_at=None
):
    """Start a CCG's membership record at 'considering', the state its first source gives.

    'Considering' is the first entry of the CCG's decision log, so that the one
    derivation answers for it like any other status.
    """
    since, since_precision = stored(since, since_precision)
    decision = Decision(
        ccg=ccg,
        commissioner=commissioner,
        body=Body.NOT_STATED,
        outcome=Outcome.CONSIDERING,
        effective_date=since,
        effective_date_precision=since_precision,
        in_effect_from=since,
        in_effect_from_precision=since_precision,
        summary=reason,
        reason=reason,
        recorded_by=user,
        recorded_at=recorded_at or timezone.now(),
    )
    decision.full_clean()
    sources = cited(sources)
    save_with_history(decision, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    # A CCG new to the record already has its (empty) membership; an older one may not.
    membership = Membership.objects.filter(ccg=ccg, commissioner=commissioner).first()
    membership = membership or Membership(ccg=ccg, commissioner=commissioner, version=0)
    _status_event(membership, decision, sources, reason, recorded_at)
    return _membership_refresh(membership, user=user, reason=reason, recorded_at=recorded_at)


@transaction.atomic
def decision_correct(*, decision, user, reason, expected_version=None, **fields):
    """Correct a recorded decision: a new decision replaces it, the original is kept as it was."""
    return decision_record(
        ccg=decision.ccg,
        commissioner=decision.commissioner,
        corrects=decision,
        user=user,
        reason=reason,
        expected_version=expected_version,
        **fields,
    )


@transaction.atomic
def decision_withdraw(*, decision, user, reason, expected_version=None, recorded_at=None):
    """Withdraw a decision entered in error; it is kept, and no longer counts from now on."""
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Give the reason for withdrawing this decision."]})
    membership = None
    if decision.ccg_id is not None:
        membership = _locked_membership(decision.ccg, decision.commissioner, expected_version)
    _refuse_if_not_current(decision)
    withdrawal = Withdrawal(
        decision=decision,
        reason=reason.strip(),
        recorded_by=user,
        recorded_at=recorded_at or timezone.now(),
    )
    withdrawal.full_clean()
    save_with_history(withdrawal, user=user, reason=reason, recorded_at=recorded_at)
    timeline_add(
        commissioner=decision.commissioner_id,
        kind=EventKind.WITHDRAWAL,
        date=timezone.localdate(withdrawal.recorded_at),
        title=f"{decision.ccg or decision.commissioner}: decision withdrawn "
        f"({decision.get_outcome_display().lower()}, {decision.in_effect_from_display})",
        detail=reason,
        sources=list(decision.sources.all()),
        recorded_at=withdrawal.recorded_at,
        ccg=decision.ccg,
        subject=withdrawal,
    )
    if membership is not None:
        _membership_refresh(membership, user=user, reason=reason, recorded_at=recorded_at)
    return withdrawal
