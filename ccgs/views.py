from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kmcommission.permissions import can_record_decisions
from kmcommission.query_dates import BadDate, parse_day

from .models import CCG, Membership
from .selectors import (
    ccg_accountable_officers,
    ccg_decisions,
    end_of_day,
    group_by_locality,
    joined_count,
    membership_as_at,
    membership_history,
)

AS_AT_LABEL = "The \u2018in effect on\u2019 date"
KNOWN_AT_LABEL = "The \u2018as recorded on\u2019 date"


def _point_in_time(params, today):
    """(as_at, known_at, errors): the dashboard's two dates; a bad one falls back and says why."""
    errors = {}
    try:
        as_at = parse_day(params.get("as_at"), AS_AT_LABEL, default=today)
    except BadDate as error:
        as_at, errors["as_at"] = today, str(error)
    try:
        known_at = parse_day(params.get("known_at"), KNOWN_AT_LABEL)
    except BadDate as error:
        known_at, errors["known_at"] = None, str(error)
    return as_at, known_at, errors


def dashboard(request):
    """Every CCG's membership in effect on a date (default today), as recorded on a date."""
    today = timezone.localdate()
    as_at, known_at, date_errors = _point_in_time(request.GET, today)
    states = membership_as_at(as_at, end_of_day(known_at) if known_at else None)
    for state in states:
        # Overdue as the record stood on the date shown, which is today by default.
        state.overdue = state.overdue_for_review(as_at)
    joined, total = joined_count(states)
    return render(
        request,
        "ccgs/dashboard.html",
        {
            "groups": group_by_locality(states),
            "joined": joined,
            "total": total,
            "as_at": as_at,
            "known_at": known_at,
            "today": today,
            "is_today": as_at == today and known_at is None,
            "date_errors": date_errors,
            # What the user typed, kept so that a mistyped date can be corrected.
            "as_at_value": request.GET.get("as_at", ""),
            "known_at_value": request.GET.get("known_at", ""),
        },
    )


def ccg_detail(request, slug):
    """A CCG's status, decisions, accountable officers and the audit history of its membership."""
    ccg = get_object_or_404(CCG.objects.select_related("locality_group"), slug=slug)
    membership = Membership.objects.filter(ccg=ccg).select_related("commissioner").first()
    decisions = ccg_decisions(ccg)
    history = (
        membership_history(membership, {decision.pk: decision for decision in decisions})
        if membership
        else []
    )
    return render(
        request,
        "ccgs/ccg_detail.html",
        {
            "ccg": ccg,
            "membership": membership,
            "decisions": decisions,
            "officers": ccg_accountable_officers(ccg),
            "history": history,
            "can_record": can_record_decisions(request.user),
        },
    )
