"""Scrutiny pages: thin views over scrutiny.selectors; every page needs a login (middleware)."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ccgs.models import CCG
from decisions.models import Membership
from decisions.selectors import (
    ccg_decisions,
    group_by_locality,
    joined_count,
    membership_as_at,
    membership_history,
)
from records.permissions import can_record_decisions
from records.points import BadDate, parse_day
from roles.selectors import ccg_accountable_officers

from . import selectors
from .chart import build_chart
from .exports import scrutiny_calendar, timeline_csv
from .feeds import RecordChangesFeed
from .forms import TimelineFilterForm
from .subscriptions import subscriber, subscription_key

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
    states = membership_as_at(as_at, known_at)
    for state in states:
        # Overdue as the record stood on the date shown, which is today by default.
        state.overdue = state.overdue_for_review(as_at)
    joined, total = joined_count(states)
    return render(
        request,
        "scrutiny/dashboard.html",
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
        "scrutiny/ccg_detail.html",
        {
            "ccg": ccg,
            "membership": membership,
            "decisions": decisions,
            "officers": ccg_accountable_officers(ccg),
            "history": history,
            "can_record": can_record_decisions(request.user),
        },
    )


def _page_links(form, page, path):
    base = form.query_without_cursor()
    prefix = f"{path}?{base}&" if base else f"{path}?"
    return {
        "next_url": f"{prefix}after={page.next_cursor}" if page.next_cursor else None,
        "previous_url": f"{prefix}before={page.previous_cursor}" if page.previous_cursor else None,
    }


@require_GET
def timeline(request):
    """/timeline/: every event in order of the date it took effect, filtered and paged."""
    form = TimelineFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "scrutiny/timeline.html", {"form": form}, status=400)
    events = selectors.timeline_events(**form.filters())
    if request.GET.get("format") == "csv":
        return timeline_csv(events.iterator(chunk_size=500))
    data = form.cleaned_data
    page = selectors.timeline_page(events, after=data["after"], before=data["before"])
    query = form.query_without_cursor()
    return render(
        request,
        "scrutiny/timeline.html",
        {
            "form": form,
            "page": page,
            "csv_url": f"{request.path}?{query}&format=csv" if query else "?format=csv",
            "filtered": any(form.filters().values()),
            **_page_links(form, page, request.path),
        },
    )


def _event_json(event):
    return {
        "id": event.pk,
        "date": event.date_iso,
        "date_precision": event.date_precision,
        "date_display": event.date_display,
        "kind": event.kind,
        "ccg": event.ccg.name if event.ccg else None,
        "locality": event.locality_group.name if event.locality_group else None,
        "person": event.person_name or None,
        "title": event.title,
        "detail": event.detail,
        "recorded_at": event.recorded_at.isoformat(),
        "sources": [source.as_citation() for source in event.sources.all()],
    }


@require_GET
def api_timeline(request):
    """GET /api/timeline/: the timeline's events as JSON, with its filters and keyset paging."""
    form = TimelineFilterForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"error": "Some filters are not valid.", "fields": errors}, status=400)
    events = selectors.timeline_events(**form.filters())
    data = form.cleaned_data
    page = selectors.timeline_page(events, after=data["after"], before=data["before"])
    links = _page_links(form, page, request.path)
    return JsonResponse(
        {
            "events": [_event_json(event) for event in page.events],
            "next": request.build_absolute_uri(links["next_url"]) if links["next_url"] else None,
            "previous": request.build_absolute_uri(links["previous_url"])
            if links["previous_url"]
            else None,
        }
    )


DATE_LABELS = {
    "as_at": "The \u2018in effect on\u2019 date",
    "known_at": "The \u2018as recorded on\u2019 date",
    "since": "The previous briefing date",
}


class DateError(Exception):
    """A date box the user filled in badly: which one, and what to say."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def _read_dates(params, *names, labels=None):
    """The named YYYY-MM-DD parameters (as_at defaults to today); DateError names the box."""
    labels = DATE_LABELS | (labels or {})
    values = []
    for name in names:
        default = timezone.localdate() if name == "as_at" else None
        try:
            value = parse_day(params.get(name), labels[name], default=default)
        except BadDate as error:
            raise DateError(name, str(error)) from None
        values.append(value)
    return values


def _bad_date_page(request, template, error):
    context = {"date_error": str(error), "date_field": error.field, **_date_values(request)}
    return render(request, template, context, status=400)


def _date_values(request, on=None):
    """The date boxes as the user typed them, so a mistake stays on screen to be corrected."""
    return {
        "as_at_value": request.GET.get("as_at") or (on.isoformat() if on else ""),
        "known_at_value": request.GET.get("known_at", ""),
        "since_value": request.GET.get("since", ""),
    }


@require_GET
def as_at(request):
    """/as-at/: the record in effect on a date beside what the record said on a date."""
    try:
        on, known_at = _read_dates(request.GET, "as_at", "known_at")
    except DateError as error:
        return _bad_date_page(request, "scrutiny/as_at.html", error)
    comparison = selectors.compare_points(on, known_at or on)
    return render(
        request,
        "scrutiny/as_at.html",
        {
            "on": on,
            "known_at": comparison.known_at,
            "in_effect": comparison.in_effect,
            "as_recorded": comparison.as_recorded,
            "rows": comparison.rows,
            "total": len(comparison.rows),
            **_date_values(request, on),
        },
    )


@require_GET
def chart(request):
    """/chart/: the membership swimlane, drawn on the server."""
    try:
        (on,) = _read_dates(request.GET, "as_at", labels={"as_at": "The date to mark"})
    except DateError as error:
        return _bad_date_page(request, "scrutiny/chart.html", error)
    meetings = selectors.scrutiny_meetings()
    membership_chart = build_chart(
        segments=selectors.membership_segments(),
        decisions=selectors.membership_decisions(),
        meetings=meetings,
        selected=on,
    )
    return render(
        request,
        "scrutiny/chart.html",
        {"chart": membership_chart, "meetings": meetings, "on": on, **_date_values(request, on)},
    )


@require_GET
def briefing(request):
    """/briefing/: one page in committee-paper style, sources as numbered footnotes."""
    try:
        on, since, known_at = _read_dates(
            request.GET, "as_at", "since", "known_at", labels={"as_at": "The briefing date"}
        )
    except DateError as error:
        return _bad_date_page(request, "scrutiny/briefing.html", error)
    if since is None:
        meeting = selectors.previous_meeting(on)
        since = meeting.date if meeting else on - datetime.timedelta(days=30)
    if since > on:
        error = DateError(
            "since", "The previous briefing date must be on or before the briefing date."
        )
        return _bad_date_page(request, "scrutiny/briefing.html", error)
    paper = selectors.briefing_paper(on=on, since=since, known_at=known_at)
    return render(
        request,
        "scrutiny/briefing.html",
        {
            "on": on,
            "since": since,
            "known_at": known_at,
            "today": timezone.localdate(),
            "members": paper.members,
            "joined": paper.joined,
            "total": len(paper.members),
            "team": paper.team,
            "decisions": paper.decisions,
            "pending": paper.pending,
            "footnotes": paper.footnotes,
            **_date_values(request, on),
        },
    )


def _subscriber_or_404(key):
    if subscriber(key) is None:
        raise Http404("No such subscription.")


@require_GET
def subscribe(request):
    """/subscribe/: the user's personal addresses for a calendar program or feed reader."""
    key = subscription_key(request.user)
    return render(
        request,
        "scrutiny/subscribe.html",
        {
            "calendar_url": request.build_absolute_uri(
                reverse("scrutiny:calendar-subscription", args=[key])
            ),
            "feed_url": request.build_absolute_uri(
                reverse("scrutiny:feed-subscription", args=[key])
            ),
        },
    )


@login_not_required
@require_GET
def calendar_subscription(request, key):
    """The calendar for a calendar program, which cannot sign in: the key stands for the user."""
    _subscriber_or_404(key)
    return calendar_ics(request)


@login_not_required
@require_GET
def feed_subscription(request, key):
    """The changes feed for a feed reader, which cannot sign in."""
    _subscriber_or_404(key)
    return RecordChangesFeed()(request)


@require_GET
def calendar_ics(request):
    """/calendar.ics: scrutiny meetings, expected decisions and review dates."""
    return scrutiny_calendar(
        meetings=selectors.scrutiny_meetings(),
        expected=selectors.expected_decisions(),
        pending=selectors.pending_memberships(),
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
