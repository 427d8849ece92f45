"""The rules for who holds which post, and where each commissioning function sits."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from records.citations import cited
from records.dates import Precision, format_fuzzy, normalise, stored
from records.history import StaleEdit, save_with_history
from records.models import EventKind
from records.services import timeline_add

from .models import Assignment, CommissioningFunction, Post


def _overlapping(post, start, end, exclude_pk=None):
    """Assignments of ``post`` that share at least one day with [start, end).

    An unknown start reaches back indefinitely, an open end forward; an end
    date is the day the person stopped holding the post.
    """
    clashes = Assignment.objects.filter(post=post).select_related("person")
    if end is not None:
        clashes = clashes.filter(models.Q(start__isnull=True) | models.Q(start__lt=end))
    if start is not None:
        clashes = clashes.filter(models.Q(end__isnull=True) | models.Q(end__gt=start))
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    return list(clashes)


def _most_at_once(terms, start):
    """The most of ``terms`` held on any one day from ``start`` on (all overlap the new term).

    The count can only rise on a day someone starts, so those days (and the new
    start) are the only ones to look at.
    """
    days = {start or datetime.date.min}
    days |= {t.start for t in terms if t.start is not None and (start is None or t.start > start)}
    return max(
        (sum(1 for t in terms if t.held_on(day)) for day in days),
        default=0,
    )


def assignment_clash_check(*, post, start, end, exclude_pk=None):
    """Refuse more holders of ``post`` at once than it has seats (ValidationError on ``post``).

    The services call it under a lock on the post; forms call it first, so that
    the person filling the form sees the clash on the form.
    """
    clashes = _overlapping(post, start, end, exclude_pk)
    if _most_at_once(clashes, start) >= post.seats:
        held = "; ".join(
            f"{a.person} ({a.start_display} to {a.end_display or 'now'})" for a in clashes
        )
        raise ValidationError(
            {"post": [f"{post} is already held for those dates by {held}. End that first."]}
        )


def _start_event_date(assignment, recorded_at):
    """A start no source dates is shown as 'by' the end, or the day the record learnt of it."""
    if assignment.start is not None:
        return assignment.start, assignment.start_precision
    return assignment.end or timezone.localdate(recorded_at), Precision.ON_OR_BEFORE


@transaction.atomic
def assignment_start(
    *,
    person,
    post,
    start=None,
    start_precision=Precision.DAY,
    end=None,
    end_precision=Precision.DAY,
    transitional=False,
    note="",
    sources,
    reason,
    user,
    recorded_at=None,
):
    """Put a person in a post, refusing more holders at once than the post has seats."""
    start, start_precision = stored(start, start_precision)
    end, end_precision = stored(end, end_precision)
    assignment = Assignment(
        person=person,
        post=post,
        start=start,
        start_precision=start_precision,
        end=end,
        end_precision=end_precision,
        transitional=transitional,
        note=note,
    )
    assignment.full_clean()
    sources = cited(sources)
    post = Post.objects.select_for_update().get(pk=post.pk)
    assignment_clash_check(post=post, start=start, end=end)
    save_with_history(assignment, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    date, precision = _start_event_date(assignment, recorded_at)
    timeline_add(
        commissioner=post.commissioner_id,
        kind=EventKind.ASSIGNMENT_START,
        date=date,
        date_precision=precision,
        title=f"{person} starts as {post}"
        if start
        else f"{person} in post as {post} (start not stated)",
        detail=note,
        sources=sources,
        recorded_at=recorded_at,
        ccg=post.ccg,
        locality_group=post.locality_group,
        person=person,
        subject=assignment,
    )
    if end is not None:
        _end_event(assignment, sources, recorded_at)
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment,
    start=None,
    start_precision=Precision.DAY,
    transitional=False,
    note="",
    sources,
    reason,
    user,
    recorded_at=None,
):
    """Correct an assignment's start, transitional flag, note or sources; ending is
    ``assignment_end``'s job, and who holds which post is fixed once recorded."""
    sources = cited(sources)
    post = Post.objects.select_for_update().get(pk=assignment.post_id)
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("post", "person")
        .get(pk=assignment.pk)
    )
    old_start = (assignment.start, assignment.start_precision)
    assignment.start = normalise(start, start_precision) if start else None
    assignment.start_precision = start_precision
    assignment.transitional = transitional
    assignment.note = note
    assignment.full_clean()
    assignment_clash_check(
        post=post, start=assignment.start, end=assignment.end, exclude_pk=assignment.pk
    )
    save_with_history(assignment, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    if (assignment.start, assignment.start_precision) != old_start:
        date, precision = _start_event_date(assignment, recorded_at)
        timeline_add(
            commissioner=post.commissioner_id,
            kind=EventKind.ASSIGNMENT_START,
            date=date,
            date_precision=precision,
            title=f"{assignment.person} starts as {post} (start corrected)",
            detail=reason,
            sources=sources,
            recorded_at=recorded_at,
            ccg=post.ccg,
            locality_group=post.locality_group,
            person=assignment.person,
            subject=assignment,
        )
    return assignment


@transaction.atomic
def assignment_end(
    *, assignment, end, end_precision=Precision.DAY, sources=(), reason, user, recorded_at=None
):
    """End an assignment on the day the person stopped holding the post."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("post", "person")
        .get(pk=assignment.pk)
    )
    if assignment.end is not None:
        raise ValidationError(
            {"end": [f"This assignment already ended on {assignment.end_display}."]}
        )
    assignment.end = normalise(end, end_precision)
    assignment.end_precision = end_precision
    assignment.full_clean()
    sources = list(sources) or list(assignment.sources.all())
    cites = {source.pk: source for source in [*assignment.sources.all(), *sources]}.values()
    save_with_history(assignment, user=user, reason=reason, recorded_at=recorded_at, cites=cites)
    _end_event(assignment, sources, recorded_at, detail=reason)
    return assignment


def _end_event(assignment, sources, recorded_at, detail=""):
    timeline_add(
        commissioner=assignment.post.commissioner_id,
        kind=EventKind.ASSIGNMENT_END,
        date=assignment.end,
        date_precision=assignment.end_precision,
        title=f"{assignment.person} leaves {assignment.post} "
        f"({format_fuzzy(assignment.end, assignment.end_precision)})",
        detail=detail,
        sources=sources,
        recorded_at=recorded_at,
        ccg=assignment.post.ccg,
        locality_group=assignment.post.locality_group,
        person=assignment.person,
        subject=assignment,
    )


@transaction.atomic
def function_place(
    *,
    commissioner,
    name,
    level,
    since,
    since_precision,
    placed_by,
    sources,
    reason,
    user,
    description="",
    recorded_at=None,
):
    """Add a commissioning function to ``commissioner``'s record (an arrangement), at the level
    a decision or workshop placed it."""
    since, since_precision = stored(since, since_precision)
    function = CommissioningFunction(
        commissioner=commissioner,
        name=name,
        description=description,
        level=level,
        since=since,
        since_precision=since_precision,
        placed_by=placed_by,
    )
    function.full_clean()
    sources = cited(sources)
    save_with_history(function, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    _function_event(function, sources, recorded_at)
    return function


@transaction.atomic
def function_move(
    *,
    function,
    level,
    since,
    since_precision,
    placed_by,
    sources,
    reason,
    user,
    expected_version=None,
    recorded_at=None,
):
    """Move a commissioning function to another level, refusing an edit made on stale data."""
    since, since_precision = stored(since, since_precision)
    sources = cited(sources)
    function = CommissioningFunction.objects.select_for_update().get(pk=function.pk)
    if expected_version is not None and function.version != expected_version:
        raise StaleEdit(
            function.history.filter(version__gt=expected_version).select_related("history_user")
        )
    function.level = level
    function.since = since
    function.since_precision = since_precision
    function.placed_by = placed_by
    function.version += 1
    function.full_clean()
    save_with_history(function, user=user, reason=reason, recorded_at=recorded_at, cites=sources)
    _function_event(function, sources, recorded_at)
    return function


def _function_event(function, sources, recorded_at):
    timeline_add(
        commissioner=function.commissioner_id,
        kind=EventKind.FUNCTION_MOVE,
        date=function.since or timezone.localdate(),
        date_precision=function.since_precision if function.since else Precision.ON_OR_BEFORE,
        title=f"{function.name}: placed at level ‘{function.get_level_display()}’",
        detail=function.placed_by,
        sources=sources,
        recorded_at=recorded_at,
        # The placement as recorded (its history row), so each version keeps its own sources.
        subject=function.history.order_by("-history_id").first(),
    )
