"""Scrutiny pages: thin views over scrutiny.selectors; every page needs a login (middleware)."""

import contextlib
import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from ccgs.arrangements import (
    UnknownArrangement,
    arrangement_page,
    choose_arrangement,
    page_context,
)
from ccgs.models import CCG
from decisions.models import Membership
from decisions.selectors import (
    ccg_decisions,
    group_by_locality,
    joined_count,
    membership_as_at,
    membership_history,
)
from records.models import ClaimKind
from records.permissions import can_record_decisions
from records.points import AS_RECORDED, PointInTimeForm
from records.selectors import claims, conflicts
from roles.selectors import ccg_accountable_officers, posts_filled

from . import selectors
from .chart import build_chart
from .exports import scrutiny_calendar, timeline_csv, timeline_xlsx
from .feeds import RecordChangesFeed
from .forms import CalendarWindowForm, ChartSpanForm, TimelineFilterForm
from .search import search as record_search
from .subscriptions import subscriber, subscription_key, subscription_reset


@arrangement_page
def dashboard(request, arrangement):
    """Every CCG's membership of an arrangement in effect on a date (default today), as
    recorded on a date."""
    today = timezone.localdate()
    dates = PointInTimeForm(request.GET)
    # A refused date is explained on the page, which shows today's record meanwhile.
    dates.is_valid()
    as_at, known_at = dates.as_at_day, dates.known_at_day
    states = membership_as_at(as_at, known_at, arrangement.arrangement)
    joined, total = joined_count(states)
    filled, seats = posts_filled(as_at, known_at, arrangement.arrangement)
    return render(
        request,
        "scrutiny/dashboard.html",
        {
            "dates": dates,
            **page_context(request, arrangement),
            "last_change": selectors.last_change(known_at, arrangement.arrangement),
            "filled": filled,
            "seats": seats,
            "groups": group_by_locality(states),
            "joined": joined,
            "total": total,
            "as_at": as_at,
            "known_at": known_at,
            "today": today,
            "is_today": as_at == today and known_at is None,
        },
    )


@arrangement_page
def ccg_detail(request, slug, arrangement):
    """A CCG's status, decisions, accountable officers and the audit history of its membership
    of an arrangement."""
    ccg = get_object_or_404(CCG.objects.select_related("locality_group"), slug=slug)
    membership = (
        Membership.objects.filter(ccg=ccg, commissioner=arrangement.arrangement)
        .select_related("commissioner")
        .first()
    )
    if membership is None and ccg.memberships.exists():
        # A CCG in other arrangements only has no status in this one (its form refuses too).
        reason = f"{ccg.name} CCG is not in {arrangement.arrangement}."
        return render(request, "404.html", {"reason": reason}, status=404)
    decisions = ccg_decisions(ccg, commissioner=arrangement.arrangement)
    before = request.GET.get("history_before", "")
    history = (
        membership_history(
            membership,
            {decision.pk: decision for decision in decisions.shown},
            before=int(before) if before.isdigit() and len(before) < 19 else None,
        )
        if membership
        else None
    )
    return render(
        request,
        "scrutiny/ccg_detail.html",
        {
            **page_context(request, arrangement),
            "ccg": ccg,
            "membership": membership,
            "decisions": decisions.shown,
            "earlier_decisions": decisions.earlier,
            "officers": ccg_accountable_officers(ccg, arrangement.arrangement),
            "claims": claims(
                ClaimKind.STATEMENT,
                ClaimKind.ANNOUNCED,
                ClaimKind.ROLE,
                ccg=ccg,
                commissioner=arrangement.arrangement,
            ),
            "conflicts": conflicts(ccg=ccg, commissioner=arrangement.arrangement),
            "history": history.entries if history else [],
            "history_earlier": history.earlier if history else None,
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
@arrangement_page
def timeline(request, arrangement):
    """/timeline/: every event in order of the date it took effect, filtered and paged."""
    form = TimelineFilterForm(request.GET, commissioner=arrangement.arrangement)
    shown = page_context(request, arrangement)
    if not form.is_valid():
        return render(request, "scrutiny/timeline.html", {"form": form, **shown}, status=400)
    events = selectors.timeline_events(**form.filters(), commissioner=arrangement.arrangement)
    download = request.GET.get("format")
    if download in ("csv", "xlsx"):
        filename = f"{form.file_stem(timezone.localdate(), arrangement)}.{download}"
        # Read in chunks (each with its sources), never the whole record at once.
        if download == "csv":
            return timeline_csv(events, filename)
        rows = events.iterator(chunk_size=500)
        return timeline_xlsx(rows, filename, selectors.most_sources(events))
    data = form.cleaned_data
    page = selectors.timeline_page(events, after=data["after"], before=data["before"])
    query = form.query_without_cursor()
    known_at = data["known_at"]
    compare = {"as_at": known_at, "known_at": known_at} if known_at else {}
    return render(
        request,
        "scrutiny/timeline.html",
        {
            **shown,
            "form": form,
            "page": page,
            # In effect and as recorded on the day the timeline is as recorded on, if it is.
            "as_at_url": arrangement.link(
                reverse("scrutiny:as-at") + (f"?{urlencode(compare)}" if compare else "")
            ),
            "csv_url": f"{request.path}?{query}&format=csv" if query else "?format=csv",
            "xlsx_url": f"{request.path}?{query}&format=xlsx" if query else "?format=xlsx",
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
    try:
        arrangement = choose_arrangement(request.GET)
    except UnknownArrangement as error:
        refusal = {"error": str(error), "fields": {"arrangement": [str(error)]}}
        return JsonResponse(refusal, status=400)
    form = TimelineFilterForm(request.GET, commissioner=arrangement.arrangement)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"error": "Some filters are not valid.", "fields": errors}, status=400)
    events = selectors.timeline_events(**form.filters(), commissioner=arrangement.arrangement)
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


def _refused(request, template, dates, arrangement):
    """A page whose date boxes were refused: the boxes and the error summary, nothing false."""
    context = {"dates": dates, **page_context(request, arrangement)}
    return render(request, template, context, status=400)


@require_GET
@arrangement_page
def as_at(request, arrangement):
    """/as-at/: the record in effect on a date beside what the record said on a date."""
    dates = PointInTimeForm(
        request.GET,
        labels={
            "known_at": (
                "As recorded on",
                AS_RECORDED,
                "What this record said at the end of that day, before any later corrections. "
                "Leave empty to use the same date.",
            )
        },
    )
    if not dates.is_valid():
        return _refused(request, "scrutiny/as_at.html", dates, arrangement)
    on = dates.as_at_day
    comparison = selectors.compare_points(on, dates.known_at_day or on, arrangement.arrangement)
    return render(
        request,
        "scrutiny/as_at.html",
        {
            **page_context(request, arrangement),
            "dates": dates,
            "on": on,
            "known_at": comparison.known_at,
            "in_effect": comparison.in_effect,
            "as_recorded": comparison.as_recorded,
            "rows": comparison.rows,
            "total": len(comparison.rows),
        },
    )


@require_GET
@arrangement_page
def chart(request, arrangement):
    """/chart/: the membership swimlane, drawn on the server."""
    dates = PointInTimeForm(
        request.GET,
        labels={"as_at": ("Mark the date", "The date to mark", "For example, 2018-03-13")},
        with_known_at=False,
    )
    span = ChartSpanForm(request.GET)
    shown = page_context(request, arrangement)
    if not (dates.is_valid() and span.is_valid()):
        context = {"dates": dates, "span": span, **shown}
        return render(request, "scrutiny/chart.html", context, status=400)
    on = dates.as_at_day
    meetings = selectors.scrutiny_meetings(arrangement.arrangement)
    membership_chart = build_chart(
        segments=selectors.membership_segments(arrangement.arrangement),
        decisions=selectors.membership_decisions(arrangement.arrangement),
        meetings=meetings,
        selected=on,
        date_from=span.cleaned_data["date_from"],
        date_to=span.cleaned_data["date_to"],
    )
    return render(
        request,
        "scrutiny/chart.html",
        {
            **shown,
            "dates": dates,
            "span": span,
            "chart": membership_chart,
            "meetings": meetings,
            "on": on,
            "spans": [
                (text, arrangement.link(url))
                for text, url in chart_spans(membership_chart, on, custom=span.has_changed())
            ],
        },
    )


def chart_spans(chart, on, *, custom):
    """Links that widen the chart: three months more either side; out to the marked date
    when it falls outside; back to the record's own span."""
    last = chart.end - datetime.timedelta(days=1)
    links = [
        (
            "Widen the chart by three months either side",
            {"date_from": _months_before(chart.start, 3), "date_to": _months_before(last, -3)},
        )
    ]
    if chart.selected_outside == "after":
        links.append((f"Show up to {on:%-d %B %Y}", {"date_from": chart.start, "date_to": on}))
    if chart.selected_outside == "before":
        links.append((f"Show from {on:%-d %B %Y}", {"date_from": on, "date_to": last}))
    if custom:
        links.append(("Show the span of the record’s events", {}))
    return [
        (
            text,
            "?" + urlencode({"as_at": on.isoformat(), **{k: v.isoformat() for k, v in q.items()}}),
        )
        for text, q in links
    ]


def _months_before(day, months):
    """The first of the month ``months`` before ``day``'s (after, when negative)."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


@require_GET
@arrangement_page
def briefing(request, arrangement):
    """/briefing/: one page in committee-paper style, sources as numbered footnotes."""
    dates = PointInTimeForm(
        request.GET,
        labels={"as_at": ("Briefing date", "The briefing date", "For example, 2018-04-27")},
        with_since=True,
    )
    if not dates.is_valid():
        return _refused(request, "scrutiny/briefing.html", dates, arrangement)
    on, known_at = dates.as_at_day, dates.known_at_day
    since = dates.day("since") or selectors.briefing_since(on, arrangement.arrangement)
    with_notes = request.GET.get("notes") == "1"
    paper = selectors.briefing_paper(
        on=on,
        since=since,
        known_at=known_at,
        with_notes=with_notes,
        commissioner=arrangement.arrangement,
    )
    return render(
        request,
        "scrutiny/briefing.html",
        {
            **page_context(request, arrangement),
            "dates": dates,
            "on": on,
            "since": since,
            "known_at": known_at,
            "today": timezone.localdate(),
            "members": paper.members,
            "joined": paper.joined,
            "total": len(paper.members),
            "team": paper.team,
            "decisions": paper.decisions,
            "earlier_decisions": paper.earlier_decisions,
            "more_earlier_decisions": paper.more_earlier_decisions,
            "earlier_decisions_url": reverse("scrutiny:timeline")
            + "?"
            + urlencode(
                {
                    "kind": selectors.BRIEFING_CHANGES,
                    "date_from": since,
                    "date_to": on,
                    **arrangement.params,
                },
                doseq=True,
            ),
            "pending": paper.pending,
            "footnotes": paper.footnotes,
            "disagreements": paper.disagreements,
            "disputed_ccgs": paper.disputed_ccgs,
            "with_notes": with_notes,
            "notes_url": _briefing_notes_url(request, not with_notes),
            "paper": paper,
            "prepared_by": request.user.get_full_name() or request.user.get_username(),
        },
    )


def _briefing_notes_url(request, with_notes):
    """The same briefing with the record's notes shown (``notes=1``) or left out."""
    query = request.GET.copy()
    query.pop("notes", None)
    if with_notes:
        query["notes"] = "1"
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _subscriber_or_404(key):
    if subscriber(key) is None:
        raise Http404("No such subscription.")


@arrangement_page
def subscribe(request, arrangement):
    """/subscribe/: the user's personal addresses for a calendar program or feed reader, for
    the arrangement the page shows; POST gives new addresses, and the old ones stop working."""
    if request.method == "POST":
        subscription_reset(request.user)
        messages.success(request, "You have new addresses. The old ones no longer work.")
        return redirect(arrangement.link(reverse("scrutiny:subscribe")))
    key = subscription_key(request.user)

    def address(name):
        return request.build_absolute_uri(arrangement.link(reverse(name, args=[key])))

    response = render(
        request,
        "scrutiny/subscribe.html",
        {
            "calendar_url": address("scrutiny:calendar-subscription"),
            "feed_url": address("scrutiny:feed-subscription"),
            **page_context(request, arrangement),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# What a personal address answers must not be kept by a shared cache, nor by the program.
@login_not_required
@require_GET
@cache_control(private=True, no_store=True)
def calendar_subscription(request, key):
    """The calendar for a calendar program, which cannot sign in: the key stands for the user."""
    _subscriber_or_404(key)
    return calendar_ics(request)


@login_not_required
@require_GET
@cache_control(private=True, no_store=True)
def feed_subscription(request, key):
    """The changes feed for a feed reader, which cannot sign in."""
    _subscriber_or_404(key)
    return RecordChangesFeed()(request)


@require_GET
def calendar_ics(request):
    """/calendar.ics: scrutiny meetings, expected decisions and review dates, from a year back
    (``?since=YYYY-MM-DD`` for more) and all ahead; ``?arrangement=`` for another than the
    default (a calendar program shows a plain-text refusal better than a page)."""
    window = CalendarWindowForm(request.GET)
    try:
        arrangement = choose_arrangement(request.GET)
    except UnknownArrangement as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    if not window.is_valid():
        message = " ".join(window.errors["since"])
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    since = selectors.calendar_window_start(window.cleaned_data["since"], arrangement.arrangement)
    return scrutiny_calendar(
        meetings=selectors.calendar_meetings(since, arrangement.arrangement),
        expected=selectors.expected_decisions(since, arrangement.arrangement),
        pending=selectors.pending_memberships(arrangement.arrangement),
        domain=settings.SITE_DOMAIN,
        absolute=lambda path: request.build_absolute_uri(arrangement.link(path)),
        name=None if arrangement.is_default else str(arrangement.arrangement),
    )


@require_GET
@arrangement_page
def search(request, arrangement):
    """/search/?q=: the arrangement's CCGs, people, posts, decisions and sources that match
    the words."""
    results = record_search(request.GET.get("q", ""), arrangement.arrangement)
    return render(
        request,
        "scrutiny/search.html",
        {"results": results, **page_context(request, arrangement)},
    )


# (URL name, page, the question it answers) for /help/.
HELP_PAGES = [
    (
        "dashboard",
        "Dashboard",
        "Which CCGs had joined on a date, how many posts of the shared team "
        "were filled, and which pending decisions are overdue for review.",
    ),
    (
        "scrutiny:timeline",
        "Timeline",
        "What happened, in order, with the source of each event; "
        "filter it by CCG, locality group, kind of event or date, and export it.",
    ),
    (
        "scrutiny:as-at",
        "In effect and as recorded",
        "What was in effect on a date as we know it "
        "now, beside what this record said on a date: where late news changed the picture.",
    ),
    (
        "scrutiny:chart",
        "Membership chart",
        "Each CCG's status over time at a glance, with "
        "decisions and scrutiny meetings marked; the same facts as a table below it.",
    ),
    (
        "scrutiny:briefing",
        "Briefing",
        "A printable paper for a committee: the status on a date "
        "and what changed since the last meeting, with numbered sources.",
    ),
    (
        "roles:team",
        "Team",
        "Who held each post of the shared management team and each CCG's "
        "accountable officer on a date, and which posts were vacant.",
    ),
    (
        "roles:functions",
        "Functions",
        "Which commissioning functions sit with the strategic "
        "commissioner, a locality group or each CCG.",
    ),
    (
        "scrutiny:search",
        "Search",
        "Where the record mentions a CCG, a person, a post or words from a decision or a source.",
    ),
    (
        "scrutiny:subscribe",
        "Subscribe",
        "Personal addresses that put meetings in your calendar and changes in your feed reader.",
    ),
]

# The glossary's entry for the arrangements (shown only when the record holds several).
ARRANGEMENT = (
    "Arrangement",
    "A way of commissioning together that each CCG decides whether to join. The record "
    "may hold several: the 2018 joint committee (the strategic commissioner), a merger "
    "into one CCG, and so on, each with its own decisions, posts, functions and meetings. "
    "Each page says which arrangement it shows and links to the same page for the others; "
    "its links keep the one chosen. The address names it with ?arrangement= and the "
    "arrangement's short name; without it, a page shows the default arrangement.",
)

GLOSSARY = [
    (
        "CCG",
        "Clinical commissioning group: the NHS body that planned and bought health services "
        "for an area. Kent and Medway had eight in 2018.",
    ),
    (
        "STP",
        "Sustainability and transformation partnership: the NHS bodies and councils of Kent "
        "and Medway planning together. Its programme office proposed the strategic commissioner.",
    ),
    (
        "Strategic commissioner",
        "A joint committee of the CCGs with one shared management team, "
        "to take decisions that are better made once for Kent and Medway.",
    ),
    ARRANGEMENT,
    (
        "HOSC",
        "Kent County Council's Health Overview and Scrutiny Committee, which scrutinises "
        "NHS changes on behalf of residents.",
    ),
    (
        "Accountable officer",
        "The person answerable in law for a CCG's money and duties. Every "
        "CCG needs one; one person may be accountable officer for several CCGs.",
    ),
    (
        "Governing body",
        "A CCG's board: it takes decisions such as joining the strategic commissioner.",
    ),
    (
        "GP membership",
        "The GP practices that make up a CCG. Some CCGs' constitutions ask their "
        "members, not only the governing body, to agree such a change.",
    ),
    ("Considering", "The CCG was weighing the proposal and had not decided."),
    (
        "Pending",
        "The CCG deferred its decision, usually asking for more information; a date "
        "for the decision may be expected.",
    ),
    ("Opted out", "The CCG decided not to join."),
    ("Joined", "The CCG agreed to join, from the date its decision took effect."),
    (
        "\u201cby\u201d dates",
        "\u201cBy 27 February 2018\u201d means the source shows it had "
        "happened by that day but not exactly when. \u201cFebruary 2018\u201d means the source "
        "gives only the month. The record never shows a day its source does not give.",
    ),
    (
        "In effect on",
        "The date the record is shown for: what had taken effect by then, as we "
        "know it now, including facts learnt later.",
    ),
    (
        "As recorded on",
        "What this record said at the end of that day, before any later "
        "corrections: what a reader would have seen then.",
    ),
]


@require_GET
@arrangement_page
def help_page(request, arrangement):
    """/help/: what each page answers, and the words the record uses; its links keep the
    arrangement the reader came from."""
    pages = [
        (arrangement.link(reverse(name)), page, question) for name, page, question in HELP_PAGES
    ]
    # Arrangements are worth a word only where the record holds more than one: with one,
    # no page names or switches them.
    glossary = GLOSSARY if arrangement.several else [g for g in GLOSSARY if g is not ARRANGEMENT]
    context = {"pages": pages, "glossary": glossary, "arrangement_choice": arrangement}
    return render(request, "scrutiny/help.html", context)


@require_GET
@login_not_required
def accessibility(request):
    """/accessibility/: the accessibility statement, open to anyone (the law asks for it).

    A signed-in reader's menu and footer keep the arrangement they came from; an unknown
    one just keeps none. Anyone else is told nothing of the arrangements (no query)."""
    context = {}
    if request.user.is_authenticated:
        with contextlib.suppress(UnknownArrangement):
            context["arrangement_choice"] = choose_arrangement(request.GET)
    return render(request, "scrutiny/accessibility.html", context)
