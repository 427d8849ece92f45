from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from ccgs.arrangements import PARAMETER, arrangement_page, choice_of, page_context, refused_page
from ccgs.models import CCG
from decisions.models import Membership
from decisions.selectors import current_replacement, membership_changes
from records.forms import SourceForm
from records.history import StaleEdit
from records.services import source_create

from .forms import DecisionForm, WithdrawForm
from .models import Decision
from .services import decision_record, decision_record_citing_new_source, decision_withdraw


@permission_required("decisions.add_decision", raise_exception=True)
def record(request, slug):
    """Record a governing-body decision for one CCG; refused if the record changed meanwhile."""
    ccg = get_object_or_404(CCG, slug=slug)
    memberships = list(
        Membership.objects.filter(ccg=ccg).select_related("commissioner").order_by("commissioner")
    )
    if not memberships:
        raise Http404("This CCG is in no arrangement.")
    # The form sends its arrangement back: one added while the form was open must not
    # turn the user's answer into a question about which one they meant.
    wanted = (request.POST.get(PARAMETER) or request.GET.get(PARAMETER, "")).strip()
    several = len(memberships) > 1
    if not wanted and several:
        # Two arrangements: which one the decision is about is the user's to say, not a default.
        return render(
            request, "decisions/choose_arrangement.html", {"ccg": ccg, "memberships": memberships}
        )
    if wanted:
        chosen = [m for m in memberships if m.commissioner.slug == wanted]
        if not chosen:
            names = ", ".join(f"‘{m.commissioner.slug}’ ({m.commissioner})" for m in memberships)
            return refused_page(
                request,
                f"{ccg.name} CCG is in no arrangement ‘{wanted[:80]}’. Its arrangements are: "
                f"{names}.",
            )
        memberships = chosen
    membership = memberships[0]
    return _decision_page(
        request,
        ccg,
        membership,
        initial={"version": membership.version},
        several_arrangements=several,
    )


@permission_required("decisions.add_decision", raise_exception=True)
def correct(request, pk):
    """Correct a recorded decision: the form prefilled with it as it stands, a reason required.

    The correction is a new decision that replaces the original; the original is
    kept exactly as it was, marked corrected.
    """
    decision = get_object_or_404(Decision.objects.select_related("ccg"), pk=pk)
    if decision.ccg is None:
        raise Http404("Only a CCG's decisions are corrected here.")
    # The CCG's memberships, each with its arrangement, in the one query that finds the
    # decision's: a CCG in two arrangements is captioned with the decision's, as its record
    # form is.
    memberships = list(Membership.objects.filter(ccg=decision.ccg).select_related("commissioner"))
    membership = next(
        (m for m in memberships if m.commissioner_id == decision.commissioner_id), None
    )
    if membership is None:
        raise Http404("The decision's CCG is not in its arrangement.")
    initial = {**DecisionForm.initial_from(decision), "version": membership.version}
    return _decision_page(
        request,
        decision.ccg,
        membership,
        initial=initial,
        corrects=decision,
        several_arrangements=len(memberships) > 1,
    )


def _decision_page(request, ccg, membership, *, initial, corrects=None, several_arrangements=False):
    """The decision form: shown, refused with its errors, refused as stale (409), or saved."""
    replaced_by = current_replacement(corrects) if corrects else None
    arrangement = membership.commissioner  # read before a stale form refreshes the membership
    stale_changes = None
    status = 409 if replaced_by else 200
    if request.method == "POST" and not replaced_by:
        form = DecisionForm(request.POST, commissioner=arrangement)
        if form.is_valid():
            decision = None
            try:
                decision = _record(form, ccg, membership, request.user, corrects)
            except StaleEdit as error:
                stale_changes = membership_changes(membership.pk, error.changes)
                membership.refresh_from_db()
                # Keep what the user typed, but against the version they have now seen.
                data = request.POST.copy()
                data["version"] = str(membership.version)
                form = DecisionForm(data, commissioner=arrangement)
                status = 409
            if decision is not None:
                return redirect("decisions:recorded", pk=decision.pk)
    else:
        form = DecisionForm(initial=initial, commissioner=arrangement)
    return render(
        request,
        "decisions/decision_form.html",
        {
            "ccg": ccg,
            "membership": membership,
            "several_arrangements": several_arrangements,
            "arrangement": arrangement,
            # The menu and the back link keep the arrangement the user came from.
            "arrangement_choice": choice_of(arrangement),
            "form": form,
            "stale_changes": stale_changes,
            "corrects": corrects,
            "replaced_by": replaced_by,
        },
        status=status,
    )


def _record(form, ccg, membership, user, corrects=None):
    """Record the decision (with its new source, if one was typed); None with the errors
    on the form when the services refuse it."""
    arguments = {
        "ccg": ccg,
        "commissioner": membership.commissioner,
        "user": user,
        "corrects": corrects,
        **form.decision_arguments(),
    }
    try:
        if form.new_source is None:
            return decision_record(sources=[form.cleaned_data["source"]], **arguments)
        return decision_record_citing_new_source(new_source=form.new_source, **arguments)
    except ValidationError as error:
        form.add_service_errors(error)
    return None


@permission_required("decisions.add_decision", raise_exception=True)
def withdraw(request, pk):
    """Withdraw a decision entered in error, with a reason; it is kept, marked withdrawn."""
    decision = get_object_or_404(Decision.objects.select_related("ccg", "commissioner"), pk=pk)
    membership = Membership.objects.filter(
        ccg=decision.ccg_id, commissioner=decision.commissioner_id
    ).first()
    replaced_by = current_replacement(decision)
    form = WithdrawForm(
        request.POST or None, initial={"version": getattr(membership, "version", 0)}
    )
    status = 409 if replaced_by else 200
    if request.method == "POST" and not replaced_by and form.is_valid():
        try:
            decision_withdraw(
                decision=decision,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"] if membership else None,
            )
        except StaleEdit:
            form.add_error(
                None,
                "The record changed after you opened this page. Check the decision, then "
                "withdraw it again if that is still right.",
            )
            status = 409
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The decision was withdrawn. It stays in the record, marked.")
            return redirect(choice_of(decision.commissioner).link(decision.get_absolute_url()))
    return render(
        request,
        "decisions/withdraw.html",
        {
            "decision": decision,
            "form": form,
            "replaced_by": replaced_by,
            "arrangement_choice": choice_of(decision.commissioner),
        },
        status=status,
    )


def recorded(request, pk):
    """The confirmation after recording a decision: the CCG's status now."""
    decision = get_object_or_404(Decision.objects.select_related("ccg", "commissioner"), pk=pk)
    membership = (
        Membership.objects.filter(ccg=decision.ccg, commissioner=decision.commissioner_id).first()
        if decision.ccg_id
        else None
    )
    return render(
        request,
        "decisions/decision_recorded.html",
        {
            "decision": decision,
            "membership": membership,
            "arrangement_choice": choice_of(decision.commissioner),
        },
    )


@permission_required("records.add_source", raise_exception=True)
@arrangement_page
def source_add(request, arrangement):
    """Add a source document on its own, to the record of the arrangement the page came from
    (``?arrangement=``, else the default), then go back to where the user came from."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST":
        form = SourceForm(request.POST)
        if form.is_valid():
            try:
                source = source_create(
                    **form.source_arguments(),
                    user=request.user,
                    commissioner=arrangement.arrangement,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Source added: {source.title}")
                return redirect(next_url or "dashboard")
    else:
        form = SourceForm()
    return render(
        request,
        "decisions/source_form.html",
        {"form": form, "next": next_url, **page_context(request, arrangement)},
    )
