from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from records.dates import since_phrase
from records.history import StaleEdit
from records.models import ClaimKind
from records.points import PointInTimeForm
from records.selectors import claims, conflicts, people_named

from . import services
from .forms import FunctionAddForm, FunctionMoveForm
from .models import CommissioningFunction, Level
from .selectors import function_history, function_matrix, team_as_at


def _dates(request, label, called):
    """The page's point in time; its as_at box is named as the page's label reads."""
    return PointInTimeForm(
        request.GET,
        labels={"as_at": (label, called, "Written YYYY-MM-DD. For example, 2018-03-13.")},
    )


def _refused(request, template, dates):
    # What the user typed stays in the box, to be corrected rather than typed again.
    return render(request, template, {"dates": dates}, status=400)


def team(request):
    dates = _dates(request, "Show the team on", "The date to show the team on")
    if not dates.is_valid():
        return _refused(request, "roles/team.html", dates)
    as_at, known_at = dates.as_at_day, dates.known_at_day
    disputes = conflicts(about_people=True)
    return render(
        request,
        "roles/team.html",
        {
            "dates": dates,
            "team": team_as_at(as_at, known_at),
            "as_at": as_at,
            "known_at": known_at,
            "conflicts": disputes,
            "disputed_ccgs": {conflict.ccg_id for conflict in disputes},
            "people": people_named(),
        },
    )


def functions(request):
    dates = _dates(request, "Show the functions on", "The date to show the functions on")
    if not dates.is_valid():
        return _refused(request, "roles/function_matrix.html", dates)
    as_at, known_at = dates.as_at_day, dates.known_at_day
    return render(
        request,
        "roles/function_matrix.html",
        {
            "dates": dates,
            "placements": function_matrix(as_at, known_at),
            **_in_the_sources_words(),
            "levels": Level.choices,
            "as_at": as_at,
            "known_at": known_at,
            "can_add": request.user.has_perm("roles.add_commissioningfunction"),
            "can_move": request.user.has_perm("roles.change_commissioningfunction"),
        },
    )


def _in_the_sources_words():
    """What the commissioner would and would not do, and what the sources announce: one query."""
    said = claims(ClaimKind.WOULD, ClaimKind.WOULD_NOT, ClaimKind.ANNOUNCED)
    announced = [claim for claim in said if claim.kind == ClaimKind.ANNOUNCED]
    return {
        "would": [claim for claim in said if claim.kind == ClaimKind.WOULD],
        "would_not": [claim for claim in said if claim.kind == ClaimKind.WOULD_NOT],
        "announced": sorted(announced, key=lambda claim: (claim.date, claim.pk)),
    }


def function_detail(request, pk):
    function = get_object_or_404(CommissioningFunction, pk=pk)
    return render(
        request,
        "roles/function_detail.html",
        {
            "function": function,
            "placements": function_history(function),
            "can_move": request.user.has_perm("roles.change_commissioningfunction"),
        },
    )


def stale_message(changes):
    """What changed since the form was opened, by whom, in one sentence per change."""
    parts = []
    for row in changes:
        who = (
            row.history_user.get_full_name() or row.history_user.username
            if row.history_user
            else "someone"
        )
        when = timezone.localtime(row.history_date).strftime("%-d %B %Y at %H:%M")
        parts.append(
            f"{who} placed it at ‘{Level(row.level).label}’ "
            f"{since_phrase(row.since, row.since_precision)} on {when}"
            f" (reason: {row.history_change_reason or 'none given'})."
        )
    return "This function changed after you opened the form: " + " ".join(parts)


@permission_required("roles.change_commissioningfunction", raise_exception=True)
def function_move(request, pk):
    function = get_object_or_404(CommissioningFunction, pk=pk)
    stale = None
    if request.method == "POST":
        form = FunctionMoveForm(request.POST)
        if form.is_valid():
            try:
                function = services.function_move(
                    function=function,
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                    **form.placement_arguments(),
                )
            except StaleEdit as error:
                stale = stale_message(error.changes)
                function.refresh_from_db()
                # Nothing was saved; the form now carries the current version, so a
                # second submit is made knowing what changed.
                data = request.POST.copy()
                data["version"] = function.version
                form = FunctionMoveForm(data)
                form.is_valid()
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, f"{function.name} now sits at ‘{function.get_level_display()}’."
                )
                return redirect("roles:function-detail", pk=function.pk)
    else:
        form = FunctionMoveForm(
            initial={
                "level": function.level,
                "version": function.version,
                "placed_by": "",
                "sources": [],
            }
        )
    return render(
        request,
        "roles/function_form.html",
        {
            "form": form,
            "function": function,
            "stale": stale,
            "title": f"Move {function.name} to another level",
            "action": reverse("roles:function-move", args=[function.pk]),
            "button": "Move function",
        },
        status=409 if stale else 200,
    )


@permission_required("roles.add_commissioningfunction", raise_exception=True)
def function_add(request):
    form = FunctionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            function = services.function_place(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                user=request.user,
                **form.placement_arguments(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{function.name} added at ‘{function.get_level_display()}’.")
            return redirect("roles:function-detail", pk=function.pk)
    return render(
        request,
        "roles/function_form.html",
        {
            "form": form,
            "title": "Add a commissioning function",
            "action": reverse("roles:function-add"),
            "button": "Add function",
        },
    )
