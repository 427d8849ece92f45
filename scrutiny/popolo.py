"""The record at a point in time in the Popolo shape (popoloproject.com), for civic-data tools.

``GET /api/popolo/`` answers one document with the top-level lists Popolo exports use:
``organizations`` (the arrangement, its locality groups and the CCGs), ``persons``,
``posts``, ``memberships`` (people in posts, and the CCGs that had joined the arrangement),
``motions`` and ``vote_events`` (one of each per decision). Every item validates against
the Popolo JSON schemas vendored in ``scrutiny/popolo_schemas/`` (tests/scrutiny/test_popolo.py).

How the record's facts map onto the standard, where it needed a choice:

- **Dates as precise as their sources.** Popolo dates may be ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``, so "March 2018" is ``2018-03``. A date a source gives only as a latest
  day ("by 27 February 2018", "by January 2018") has no true Popolo form: any of them
  would claim a day, a month or a year the source does not give (it may even be in the
  year before). Such a date is left null, and the bound goes in an extra property named
  after it with ``_no_later_than`` (``"start_date_no_later_than": "2018-02-27"``).
- **Meetings.** ``motion.date`` and ``vote_event.start_date`` must be date-times, and no
  source gives the hour of a meeting, so they are left out; the meeting is the vote
  event's ``legislative_session`` (a Popolo event), whose ``start_date`` takes a date.
- **Sources.** A Popolo source is a link, and a link needs a URL. A source with no web
  address gets its permanent ``tag:`` name instead (as the feed's entries do), and the
  note says so; the note gives the title, publisher and date as the pages cite them.
- **Who is a member.** A CCG is a member of the arrangement (an organization member) from
  the day its decision to join took effect, as ``/api/membership/`` derives it; a CCG
  pending, opted out or still considering is not a member, and its decisions are its
  motions and vote events. A CCG's ``parent_id`` is its locality group, a locality
  group's the arrangement.
- **One arrangement.** The document is one arrangement's record: the arrangement is its only
  organization of its kind, and the locality groups, posts, people and decisions are those of
  its record (another arrangement's are in its own answer, ``?arrangement=``).
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.text import slugify

from ccgs.models import Commissioner, LocalityGroup
from decisions.models import BODY_IN_TEXT, UPPER_BOUNDS, Decision, MembershipStatus, Outcome
from decisions.selectors import membership_as_at
from records.dates import format_fuzzy, iso_fuzzy
from roles.models import Post, PostKind
from roles.selectors import assignments_held


def dated(name, day, precision):
    """``{name: day}`` as precise as its source; a "by" date goes in ``<name>_no_later_than``."""
    if day is None:
        return {name: None}
    if precision in UPPER_BOUNDS:
        return {name: None, f"{name}_no_later_than": iso_fuzzy(day, precision)}
    return {name: iso_fuzzy(day, precision)}


def source_link(source):
    """A source as a Popolo link: its address (or its permanent name) and how it is cited."""
    note = f"{source.title}. {source.publisher}, {source.published_display}."
    if source.url and source.url_description:
        note += f" The address leads to: {source.url_description}."
    url = source.url
    if not url:
        url = f"tag:{settings.SITE_DOMAIN},2018:source/{source.pk}"
        note += " No web address: cite it by its title."
    return {"url": url, "note": note}


def links(sources):
    """Each source once, in the order first cited."""
    seen = {}
    for source in sources:
        seen.setdefault(source.pk, source)
    return [source_link(source) for source in seen.values()]


def arrangement_id(commissioner):
    return f"arrangement/{slugify(commissioner.name)}"


def ccg_id(ccg):
    return f"ccg/{ccg.slug}"


def ccg_name(ccg):
    return f"{ccg.name} CCG"


def popolo_document(
    on: datetime.date,
    known_at: datetime.date | None = None,
    commissioner=None,
    commissioners=None,
):
    """The record in effect on ``on``, as recorded on ``known_at`` (default now), as Popolo:
    the record of ``commissioner`` (an arrangement: its CCGs' memberships and decisions, its
    locality groups, posts and people; None: everything, for a record of one).
    ``commissioners``: every arrangement, when the caller has them already (only needed for
    None).

    Twelve queries whatever the size of the record: the membership states (four), the
    arrangements and locality groups (two), the posts and their sources (two), the
    assignments held with their sources (two), the decisions taken and their sources (two).
    """
    states = membership_as_at(on, known_at, commissioner)
    if commissioner is not None:
        commissioners = [commissioner]
    elif commissioners is None:
        commissioners = list(Commissioner.objects.order_by("pk"))
    # The team and the locality groups belong to the arrangement (of a record of one, the one).
    arrangement = arrangement_id(commissioners[0]) if commissioners else None
    by_commissioner = {c.pk: arrangement_id(c) for c in commissioners}
    groups = LocalityGroup.objects.all()
    posts = Post.objects.select_related("ccg").prefetch_related("sources")
    if commissioner is not None:
        # Its locality groups: those of its CCGs and of its posts.
        of_its_ccgs = LocalityGroup.objects.filter(
            pk=OuterRef("pk"), ccgs__memberships__commissioner=commissioner
        )
        of_its_posts = LocalityGroup.objects.filter(
            pk=OuterRef("pk"), posts__commissioner=commissioner
        )
        groups = groups.filter(Exists(of_its_ccgs) | Exists(of_its_posts))
        posts = posts.filter(commissioner=commissioner)

    organizations = [
        {
            "id": arrangement_id(commissioner),
            "name": commissioner.name,
            "classification": commissioner.form,
            "description": commissioner.description,
            "sources": [],
        }
        for commissioner in commissioners
    ]
    organizations += [
        {
            "id": f"locality-group/{group.slug}",
            "name": group.name,
            "classification": "locality group",
            "parent_id": arrangement,
            "sources": [],
        }
        for group in groups
    ]
    memberships = []
    for state in states:
        ccg = state.ccg
        organizations.append(
            {
                "id": ccg_id(ccg),
                "name": ccg_name(ccg),
                "other_names": [{"name": ccg.name, "note": "as the record names it"}],
                "classification": "clinical commissioning group",
                "identifiers": (
                    [{"scheme": "NHS ODS code", "identifier": ccg.ods_code}] if ccg.ods_code else []
                ),
                "parent_id": (
                    f"locality-group/{ccg.locality_group.slug}" if ccg.locality_group else None
                ),
                "sources": [],
            }
        )
        if state.status == MembershipStatus.JOINED:
            memberships.append(
                {
                    "id": f"membership/{ccg.slug}",
                    "label": f"{ccg_name(ccg)}, member",
                    "role": "member",
                    "member": {"@type": "Organization", "id": ccg_id(ccg)},
                    "organization_id": by_commissioner[state.decision.commissioner_id],
                    **dated("start_date", state.since, state.since_precision),
                    "sources": links(state.sources),
                }
            )

    posts = list(posts)

    def post_organization(post):
        if post.kind == PostKind.CCG_ACCOUNTABLE_OFFICER and post.ccg:
            return ccg_id(post.ccg)
        if post.kind == PostKind.SHARED_TEAM:
            return arrangement
        return None  # an STP role: the STP is not an organization the record keeps

    terms = assignments_held(on, known_at, commissioner)
    persons = {}
    for term in terms:
        person = persons.setdefault(
            term.person.pk,
            {"id": f"person/{term.person.pk}", "name": term.person.name, "cited": []},
        )
        person["cited"] += term.sources
        memberships.append(
            {
                "id": f"assignment/{term.id}",
                "label": term.post.title,
                "role": term.post.title,
                "person_id": person["id"],
                "post_id": f"post/{term.post.pk}",
                "organization_id": post_organization(term.post),
                **dated("start_date", term.start, term.start_precision),
                **dated("end_date", term.end, term.end_precision),
                "sources": links(term.sources),
            }
        )

    motions, vote_events = decisions_taken(on, known_at, by_commissioner, commissioner)
    return {
        "as_at": on.isoformat(),
        "known_at": known_at.isoformat() if known_at else None,
        "organizations": organizations,
        "persons": [
            {"id": p["id"], "name": p["name"], "sources": links(p.pop("cited"))}
            for p in sorted(persons.values(), key=lambda p: p["name"])
        ],
        "posts": [
            {
                "id": f"post/{post.pk}",
                "label": post.title,
                "role": post.get_kind_display(),
                "organization_id": post_organization(post),
                "sources": links(post.sources.all()),
            }
            for post in posts
        ],
        "memberships": memberships,
        "motions": motions,
        "vote_events": vote_events,
    }


def decisions_taken(on, known_at, by_commissioner, commissioner=None):
    """(motions, vote events) for the decisions taken by ``on`` as recorded on ``known_at``
    (about ``commissioner``, when given): those whose meeting (else the day they hold from)
    had come, less those corrected or withdrawn by then. A CCG's first "considering" is the
    record's starting point, not a decision, as on the pages."""
    decisions = Decision.objects.current(known_at)
    if commissioner is not None:
        decisions = decisions.filter(commissioner=commissioner)
    decisions = (
        decisions.exclude(outcome=Outcome.CONSIDERING)
        .filter(Q(meeting_date__lte=on) | Q(meeting_date__isnull=True, in_effect_from__lte=on))
        .select_related("ccg")
        .prefetch_related("sources")
        .order_by("in_effect_from", "recorded_at", "pk")
    )
    motions, vote_events = [], []
    for decision in decisions:
        ccg = decision.ccg
        organization = ccg_id(ccg) if ccg else by_commissioner[decision.commissioner_id]
        who = ccg_name(ccg) if ccg else "The joint committee"
        body = BODY_IN_TEXT.get(decision.body, decision.get_body_display())
        sources = links(decision.sources.all())
        meeting = format_fuzzy(decision.meeting_date, decision.meeting_date_precision)
        motions.append(
            {
                "id": f"motion/{decision.pk}",
                "organization_id": organization,
                "text": decision.summary,
                "classification": "membership of the arrangement",
                "result": decision.outcome,
                "sources": sources,
            }
        )
        vote_events.append(
            {
                "id": f"vote-event/{decision.pk}",
                "motion_id": f"motion/{decision.pk}",
                "organization_id": organization,
                "classification": decision.body,
                "result": decision.outcome,
                "legislative_session": {
                    "name": f"{who}: {body}, {meeting}",
                    "classification": "meeting",
                    "organization_id": organization,
                    **dated("start_date", decision.meeting_date, decision.meeting_date_precision),
                },
                # Not a Popolo property: the day the decision took effect, as dated.
                **dated(
                    "effective_date", decision.effective_date, decision.effective_date_precision
                ),
                "sources": sources,
            }
        )
    return motions, vote_events
