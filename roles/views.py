from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from records.dates import since_phrase
from records.history import StaleEdit
from records.points import BadDate, parse_day

from . import services
from .forms import FunctionAddForm, FunctionMoveForm
from .models import CommissioningFunction, Level
from .selectors import function_history, function_matrix, team_as_at

# Messages name the date box by what its label says, not by the address's parameter.
TEAM_DATE = "The date to show the team on"
FUNCTIONS_DATE = "The date to show the functions on"
KNOWN_AT_DATE = "The \u2018as recorded on\u2019 date"


def _point_in_time(request, as_at_name):
    """(as_at, known_at day or None, error message or None) from ?as_at= and ?known_at=."""
    try:
        as_at = parse_day(request.GET.get("as_at"), as_at_name, default=timezone.localdate())
        known_day = parse_day(request.GET.get("known_at"), KNOWN_AT_DATE)
    except BadDate as error:
        return timezone.localdate(), None, str(error)
    return as_at, known_day, None


def _bad_date(request, template, error):
    # What the user typed stays in the box, to be corrected rather than typed again.
    context = {"date_error": error, "as_at_value": request.GET.get("as_at", "")}
    return render(request, template, context, status=400)


def team(request):
    as_at, known_at, error = _point_in_time(request, TEAM_DATE)
    if error:
        return _bad_date(request, "roles/team.html", error)
    return render(
        request,
        "roles/team.html",
        {"team": team_as_at(as_at, known_at), "as_at": as_at, "known_at": known_at},
    )


def functions(request):
    as_at, known_at, error = _point_in_time(request, FUNCTIONS_DATE)
    if error:
        return _bad_date(request, "roles/function_matrix.html", error)
    return render(
        request,
        "roles/function_matrix.html",
        {
            "placements": function_matrix(as_at, known_at),
            "levels": Level.choices,
            "as_at": as_at,
            "known_at": known_at,
            "can_add": request.user.has_perm("roles.add_commissioningfunction"),
            "can_move": request.user.has_perm("roles.change_commissioningfunction"),
        },
    )


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
