from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.humanize.templatetags.humanize import apnumber
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from ccgs.arrangements import arrangement_page, choice_of, page_context
from records.dates import since_phrase
from records.history import StaleEdit
from records.models import ClaimKind
from records.points import PointInTimeForm
from records.selectors import claims, conflicts, people_named

from . import services
from .forms import FunctionAddForm, FunctionMoveForm
from .models import CommissioningFunction, Level
from .selectors import (
    function_history,
    function_matrix,
    has_functions,
    sources_every_post_cites,
    team_as_at,
)


def _dates(request, label, called):
    """The page's point in time; its as_at box is named as the page's label reads."""
    return PointInTimeForm(
        request.GET,
        labels={"as_at": (label, called, "Written YYYY-MM-DD. For example, 2018-03-13.")},
    )


def _refused(request, template, dates, arrangement):
    # What the user typed stays in the box, to be corrected rather than typed again.
    context = {"dates": dates, **page_context(request, arrangement)}
    return render(request, template, context, status=400)


@arrangement_page
def team(request, arrangement):
    """/team/: the arrangement's shared team, its STP roles and its CCGs' accountable officers."""
    dates = _dates(request, "Show the team on", "The date to show the team on")
    if not dates.is_valid():
        return _refused(request, "roles/team.html", dates, arrangement)
    as_at, known_at = dates.as_at_day, dates.known_at_day
    commissioner = arrangement.arrangement
    disputes = conflicts(about_people=True, commissioner=commissioner)
    team = team_as_at(as_at, known_at, commissioner)
    return render(
        request,
        "roles/team.html",
        {
            **page_context(request, arrangement),
            "dates": dates,
            "team": team,
            # With several arrangements, a CCG whose arrangement's record names no officer
            # at all is said to have none recorded, not warned of: the warning is for a CCG
            # between officers. With one, the page reads as it always has.
            "ccgs_without_officer": team.ccgs_between_officers
            if arrangement.several
            else team.ccgs_without_officer,
            "proposed_sources": sources_every_post_cites(state.post for state in team.proposed),
            "seats_clause": _seats_clause(team.proposed),
            "as_at": as_at,
            "known_at": known_at,
            "conflicts": disputes,
            "disputed_ccgs": {conflict.ccg_id for conflict in disputes},
            "people": people_named(commissioner),
        },
    )


@arrangement_page
def functions(request, arrangement):
    """/functions/: where the arrangement's commissioning functions sat on a date."""
    dates = _dates(request, "Show the functions on", "The date to show the functions on")
    if not dates.is_valid():
        return _refused(request, "roles/function_matrix.html", dates, arrangement)
    as_at, known_at = dates.as_at_day, dates.known_at_day
    placements = function_matrix(as_at, known_at, arrangement.arrangement)
    return render(
        request,
        "roles/function_matrix.html",
        {
            **page_context(request, arrangement),
            "dates": dates,
            "placements": placements,
            # "The design workshops ... decide the rest" is said of a record that places
            # functions (asked only when none is placed on the date).
            "has_functions": bool(placements) or has_functions(arrangement.arrangement),
            **_in_the_sources_words(arrangement.arrangement),
            "levels": Level.choices,
            "as_at": as_at,
            "known_at": known_at,
            "can_add": request.user.has_perm("roles.add_commissioningfunction"),
            "can_move": request.user.has_perm("roles.change_commissioningfunction"),
        },
    )


def _plural(title):
    """'Director of finance' -> 'directors of finance'; 'Chief nurse' -> 'chief nurses'."""
    title = title[:1].lower() + title[1:]
    head, of, tail = title.partition(" of ")
    return f"{head}s{of}{tail}"


def _seats_clause(proposed):
    """'the two directors of finance are one post with two seats', for each proposed post
    of more than one seat, or ''."""
    return "; ".join(
        f"the {apnumber(state.post.seats)} {_plural(state.post.title)} are one post with "
        f"{apnumber(state.post.seats)} seats"
        for state in proposed
        if state.post.seats > 1
    )


def _in_the_sources_words(commissioner):
    """What the commissioner would and would not do, and what the sources announce: one query."""
    said = claims(
        ClaimKind.WOULD, ClaimKind.WOULD_NOT, ClaimKind.ANNOUNCED, commissioner=commissioner
    )
    announced = [claim for claim in said if claim.kind == ClaimKind.ANNOUNCED]
    return {
        "would": [claim for claim in said if claim.kind == ClaimKind.WOULD],
        "would_not": [claim for claim in said if claim.kind == ClaimKind.WOULD_NOT],
        "announced": sorted(announced, key=lambda claim: (claim.date, claim.pk)),
    }


def function_detail(request, pk):
    function = get_object_or_404(
        CommissioningFunction.objects.select_related("commissioner"), pk=pk
    )
    return render(
        request,
        "roles/function_detail.html",
        {
            # Its links (back to the functions) keep the arrangement whose function it is.
            "arrangement_choice": choice_of(function.commissioner),
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
    function = get_object_or_404(
        CommissioningFunction.objects.select_related("commissioner"), pk=pk
    )
    arrangement = function.commissioner  # read before a stale move refreshes the function
    stale = None
    if request.method == "POST":
        form = FunctionMoveForm(request.POST, commissioner=function.commissioner_id)
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
                form = FunctionMoveForm(data, commissioner=function.commissioner_id)
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
            commissioner=function.commissioner_id,
            initial={
                "level": function.level,
                "version": function.version,
                "placed_by": "",
                "sources": [],
            },
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
            "arrangement_choice": choice_of(arrangement),
        },
        status=409 if stale else 200,
    )


@permission_required("roles.add_commissioningfunction", raise_exception=True)
@arrangement_page
def function_add(request, arrangement):
    """Add a function to the arrangement the page shows (``?arrangement=``, else the default)."""
    commissioner = arrangement.arrangement
    form = FunctionAddForm(request.POST or None, commissioner=commissioner)
    if request.method == "POST" and form.is_valid():
        try:
            function = services.function_place(
                commissioner=commissioner,
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
            **page_context(request, arrangement),
            "form": form,
            "title": f"Add a commissioning function to {commissioner}"
            if arrangement.several
            else "Add a commissioning function",
            "action": arrangement.link(reverse("roles:function-add")),
            "button": "Add function",
        },
    )
