"""Reading the team, the CCGs' accountable officers and the function matrix at a point in time."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count

from ccgs.models import CCG
from records.history import in_effect_rows
from records.models import EventKind, TimelineEvent
from records.points import recorded_by

from .models import Assignment, CommissioningFunction, Placed, Post, PostKind, TermDates, held_on


@dataclass
class Term(TermDates):
    """One assignment as the record stood (now, or at ``known_at``)."""

    id: int
    person: object
    post: Post
    start: datetime.date | None
    start_precision: str
    end: datetime.date | None
    end_precision: str
    transitional: bool
    note: str
    sources: list = field(default_factory=list)


@dataclass
class Holder:
    term: Term
    previously: str
    also: str

    @property
    def person(self):
        return self.term.person


@dataclass
class PostState:
    post: Post
    holders: list

    @property
    def filled_seats(self):
        return min(len(self.holders), self.post.seats)

    @property
    def seats_not_stated(self):
        """Seats no source names a holder for: "not stated", never "vacant" (no source says
        they were empty)."""
        return max(self.post.seats - len(self.holders), 0)


@dataclass
class OfficerState:
    """A CCG's accountable officers over time, and who (if anyone) held the post on the date."""

    ccg: CCG
    terms: list
    holders: list

    @property
    def has_officer(self):
        return bool(self.holders)

    @property
    def none_recorded(self):
        """The record names no accountable officer of the CCG at any time."""
        return not self.terms


@dataclass
class Team:
    as_at: datetime.date
    top: list
    managing_directors: list  # [(locality group, [PostState])]
    directors: list
    stp: list
    proposed: list
    officers: list

    @property
    def proposed_seats(self):
        return sum(state.post.seats for state in self.proposed)

    @property
    def filled_seats(self):
        return sum(state.filled_seats for state in self.proposed)

    @property
    def commissioner_posts(self):
        """The commissioner's own posts in chart order, for the table alternative."""
        groups = [state for _, states in self.managing_directors for state in states]
        return self.top + groups + self.directors

    @property
    def ccgs_without_officer(self):
        return [officer.ccg for officer in self.officers if not officer.has_officer]

    @property
    def ccgs_between_officers(self):
        """The CCGs the record names an accountable officer of at some time, none on the
        date: of an arrangement whose record names none, there is nothing to warn of."""
        return [
            officer.ccg
            for officer in self.officers
            if not officer.has_officer and not officer.none_recorded
        ]


def sources_every_post_cites(posts):
    """The sources that every one of ``posts`` cites, oldest first (by when the record added
    them): one query, none for no posts."""
    posts = list(posts)
    if not posts:
        return []
    cited = defaultdict(set)
    sources = {}
    for link in Post.sources.through.objects.filter(post__in=posts).select_related("source"):
        cited[link.source_id].add(link.post_id)
        sources[link.source_id] = link.source
    return [sources[pk] for pk in sorted(sources) if len(cited[pk]) == len(posts)]


def has_functions(commissioner):
    """Whether ``commissioner``'s record holds any commissioning function: one query."""
    return CommissioningFunction.objects.filter(commissioner=commissioner).exists()


def join_names(names):
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _post_phrase(post):
    title = post.title
    # "Director of acute strategy" reads "director of ..."; "STP ..." keeps its capitals.
    if len(title) > 1 and title[1].islower():
        title = title[0].lower() + title[1:]
    return title


def describe_posts(terms):
    """'accountable officer for Ashford CCG and Canterbury and Coastal CCG; STP chief executive'."""
    ccgs = [
        f"{term.post.ccg.name} CCG"
        for term in terms
        if term.post.kind == PostKind.CCG_ACCOUNTABLE_OFFICER and term.post.ccg
    ]
    others = [
        _post_phrase(term.post)
        for term in terms
        if not (term.post.kind == PostKind.CCG_ACCOUNTABLE_OFFICER and term.post.ccg)
    ]
    parts = []
    if ccgs:
        parts.append(f"accountable officer for {join_names(sorted(ccgs))}")
    parts.extend(others)
    return "; ".join(parts)


def _ordered(terms):
    return sorted(terms, key=lambda t: (t.start or datetime.date.min, t.post.order, t.post.title))


def previously(person_terms, term, on):
    """What the holder of ``term`` had been: their other posts that had ended by ``on``."""
    earlier = [
        other
        for other in person_terms
        if other.id != term.id and other.end is not None and other.end <= on
    ]
    earlier.sort(key=lambda t: (t.end, t.post.order, t.post.title))
    text = describe_posts(earlier)
    return f"previously {text}" if text else ""


def also(person_terms, term, on):
    """The holder's other posts on ``on``: Glenn Douglas stayed STP chief executive."""
    others = [other for other in person_terms if other.id != term.id and other.held_on(on)]
    text = describe_posts(_ordered(others))
    return f"also {text}" if text else ""


def _terms(known_at=None, commissioner=None):
    """Every assignment (to a post of ``commissioner``, when given) as recorded now, or (with
    ``known_at``) as the record stood then.

    Three queries whatever the size of the record: the rows, their people and
    posts (joined), and their sources.
    """
    if known_at is None:
        rows = Assignment.objects.all()
        if commissioner is not None:
            rows = rows.filter(post__commissioner=commissioner)
        rows = list(rows.select_related("person", "post__ccg", "post__locality_group"))
        people = {row.person_id: row.person for row in rows}
        posts = {row.post_id: row.post for row in rows}
    else:
        latest = {}
        history = Assignment.history.filter(history_date__lte=recorded_by(known_at)).order_by(
            "history_date", "history_id"
        )
        if commissioner is not None:
            history = history.filter(post__commissioner=commissioner)
        for row in history.select_related("person", "post__ccg", "post__locality_group"):
            latest[row.id] = row
        rows = [row for row in latest.values() if row.history_type != "-"]
        people = {row.person_id: row.person for row in rows}
        posts = {row.post_id: row.post for row in rows}
    sources = defaultdict(list)
    through = Assignment.sources.through.objects.filter(
        assignment_id__in=[row.id for row in rows]
    ).select_related("source")
    for link in through.order_by("source__published", "source__key"):
        sources[link.assignment_id].append(link.source)
    return [
        Term(
            id=row.id,
            person=people[row.person_id],
            post=posts[row.post_id],
            start=row.start,
            start_precision=row.start_precision,
            end=row.end,
            end_precision=row.end_precision,
            transitional=row.transitional,
            note=row.note,
            sources=sources[row.id],
        )
        for row in rows
    ]


def team_as_at(on, known_at=None, commissioner=None):
    """The shared team, the STP roles and the CCGs' accountable officers on ``on``, in the
    record of ``commissioner`` (an arrangement: its posts and CCGs; None: every one).

    ``known_at`` (a day) answers from the record as it stood then. Five
    queries: posts, CCGs, assignments with people and posts, and their sources.
    """
    posts = Post.objects.select_related("ccg", "locality_group")
    ccgs = CCG.objects.select_related("locality_group")
    if commissioner is not None:
        posts = posts.filter(commissioner=commissioner)
        # The arrangement's CCGs: those with a membership of it (decisions.Membership).
        ccgs = ccgs.filter(memberships__commissioner=commissioner)
    posts = list(posts)
    terms = _terms(known_at, commissioner)
    by_person = defaultdict(list)
    by_post = defaultdict(list)
    for term in terms:
        by_person[term.person.pk].append(term)
        by_post[term.post.pk].append(term)

    def state(post):
        holders = [
            Holder(
                term=term,
                previously=previously(by_person[term.person.pk], term, on),
                also=also(by_person[term.person.pk], term, on),
            )
            for term in _ordered(by_post[post.pk])
            if term.held_on(on)
        ]
        return PostState(post=post, holders=holders)

    top, directors, stp, proposed = [], [], [], []
    groups = {}
    for post in posts:
        if post.kind == PostKind.CCG_ACCOUNTABLE_OFFICER:
            continue
        post_state = state(post)
        if post.proposed:
            proposed.append(post_state)
        if post.kind == PostKind.STP:
            stp.append(post_state)
        elif post.tier == "top":
            top.append(post_state)
        elif post.tier == "managing_director":
            groups.setdefault(post.locality_group, []).append(post_state)
        else:
            directors.append(post_state)
    managing_directors = sorted(groups.items(), key=lambda item: (item[0].order, item[0].name))

    ao_posts = defaultdict(list)
    for post in posts:
        if post.kind == PostKind.CCG_ACCOUNTABLE_OFFICER and post.ccg_id:
            ao_posts[post.ccg_id].append(post)
    officers = []
    for ccg in ccgs:
        ccg_terms = _ordered(term for post in ao_posts[ccg.pk] for term in by_post[post.pk])
        officers.append(
            OfficerState(
                ccg=ccg,
                terms=ccg_terms,
                holders=[term for term in ccg_terms if term.held_on(on)],
            )
        )
    return Team(
        as_at=on,
        top=top,
        managing_directors=managing_directors,
        directors=directors,
        stp=stp,
        proposed=proposed,
        officers=officers,
    )


def posts_filled(on, known_at=None, commissioner=None):
    """(filled seats, seats) of the proposed interim structure of ``commissioner`` (an
    arrangement; None: every post) on ``on``, as recorded on ``known_at``: one query for the
    record as it is now."""
    if known_at is not None:
        team = team_as_at(on, known_at, commissioner)
        return team.filled_seats, team.proposed_seats
    posts = Post.objects.filter(proposed=True)
    if commissioner is not None:
        posts = posts.filter(commissioner=commissioner)
    posts = posts.annotate(holders=Count("assignments", filter=held_on(on, prefix="assignments__")))
    rows = list(posts.values_list("seats", "holders"))
    return sum(min(seats, holders) for seats, holders in rows), sum(seats for seats, _ in rows)


@dataclass
class Placement(Placed):
    """Where one function sat, from when, on whose authority, and who recorded it."""

    function_id: int
    name: str
    description: str
    level: str
    since: datetime.date | None
    since_precision: str
    placed_by: str
    version: int
    sources: list
    recorded_by: object
    recorded_at: datetime.datetime
    reason: str


def _placement_sources(history_ids):
    """{history id: sources}: each placement's timeline event names its history row."""
    events = TimelineEvent.objects.filter(
        kind=EventKind.FUNCTION_MOVE,
        subject_type=ContentType.objects.get_for_model(CommissioningFunction.history.model),
        subject_id__in=list(history_ids),
    ).prefetch_related("sources")
    return {event.subject_id: list(event.sources.all()) for event in events}


def _placement(row, sources):
    return Placement(
        function_id=row.id,
        name=row.name,
        description=row.description,
        level=row.level,
        since=row.since,
        since_precision=row.since_precision,
        placed_by=row.placed_by,
        version=row.version,
        sources=sources.get(row.history_id, []),
        recorded_by=row.history_user,
        recorded_at=row.history_date,
        reason=row.history_change_reason or "",
    )


def function_matrix(on, known_at=None, commissioner=None):
    """Each function of ``commissioner``'s record (an arrangement; None: every function)
    placed by ``on`` and where it sat then, as recorded by ``known_at``.

    Five queries: the rows in effect (two), those rows with their recorders,
    and the timeline events with their sources (two).
    """
    functions = CommissioningFunction.objects.all()
    if commissioner is not None:
        functions = functions.filter(commissioner=commissioner)
    rows = in_effect_rows(functions, CommissioningFunction.history.model, on, known_at)
    history = CommissioningFunction.history.model.objects.filter(
        history_id__in=[row.history_id for row in rows.values()]
    ).select_related("history_user")
    sources = _placement_sources(row.history_id for row in rows.values())
    placements = [_placement(row, sources) for row in history]
    placements.sort(key=lambda p: p.name.lower())
    return placements


def function_history(function):
    """Every placement of ``function``, newest first, with who recorded it and why."""
    rows = list(
        function.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    sources = _placement_sources(row.history_id for row in rows)
    return [_placement(row, sources) for row in rows]


def ccg_accountable_officers(ccg, commissioner=None):
    """Who was the CCG's accountable officer (in ``commissioner``'s record, when given), over
    time: an unstated start first."""
    officers = Assignment.objects.filter(post__kind=PostKind.CCG_ACCOUNTABLE_OFFICER, post__ccg=ccg)
    if commissioner is not None:
        officers = officers.filter(post__commissioner=commissioner)
    return list(
        officers.select_related("person")
        .prefetch_related("sources")
        .order_by(
            models.F("start").asc(nulls_first=True),
            models.F("end").asc(nulls_last=True),
            "pk",
        )
    )


def assignments_held(on, known_at=None, commissioner=None):
    """The assignments (to posts of ``commissioner``, when given) held on ``on`` as recorded on
    ``known_at`` (default now), each with its person, post and sources: the rows the team page
    reads, three queries at most."""
    return [term for term in _terms(known_at, commissioner) if term.held_on(on)]
