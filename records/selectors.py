"""Reads of what the sources say in their own words, and where they disagree."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Subquery

from .models import Claim, ClaimKind, Conflict, Source, TimelineEvent
from .points import recorded_by


def _cited_on_timeline_of(commissioner):
    """The links between ``commissioner``'s timeline events and the sources they cite."""
    return TimelineEvent.sources.through.objects.filter(timelineevent__commissioner=commissioner)


def sources_of(commissioner=None):
    """The sources of ``commissioner``'s record: those its timeline holds (each source's
    publication is on the timeline of the arrangement it was added to, and every event cites
    its sources). None: every source. A queryset, for a picker."""
    rows = Source.objects.all()
    if commissioner is not None:
        rows = rows.filter(pk__in=_cited_on_timeline_of(commissioner).values("source_id"))
    return rows


def sources_to_cite(commissioner=None):
    """Every source a record may cite, for a picker: ``commissioner``'s own first (those on
    its timeline), newest first, then those of other arrangements' records, each with
    ``held_by``, the arrangement whose timeline first held it. One query."""
    rows = Source.objects.all()
    if commissioner is None:
        return rows.order_by("-published", "title")
    on_its_timeline = _cited_on_timeline_of(commissioner).filter(source=OuterRef("pk"))
    first_held_by = (
        TimelineEvent.objects.filter(sources=OuterRef("pk"))
        .order_by("pk")
        .values("commissioner__name")[:1]
    )
    return rows.annotate(own=Exists(on_its_timeline), held_by=Subquery(first_held_by)).order_by(
        "-own", "-published", "title"
    )


def source_choice_label(source):
    """A source as a picker lists it: another arrangement's says whose record holds it, so
    two papers of one title (one in each record) can be told apart."""
    if getattr(source, "own", True) or not getattr(source, "held_by", None):
        return str(source)
    return f"{source} – in the record of {source.held_by}"


def claims(*kinds, ccg=None, commissioner=None):
    """Claims of ``kinds`` (all kinds if none) in ``commissioner``'s record (an arrangement;
    None: every record), each with its source: one query."""
    rows = Claim.objects.select_related("source")
    if commissioner is not None:
        rows = rows.filter(commissioner=commissioner)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    if ccg is not None:
        rows = rows.filter(ccg=ccg)
    return list(rows.order_by("order", "id"))


def conflicts(*, ccg=None, about_people=False, known_at=None, commissioner=None):
    """Where sources disagree, each conflict with its claims and their sources: two queries.

    ``ccg``: those about that CCG; ``about_people``: those about a named person;
    ``known_at``: those the record knew of by the end of that day; ``commissioner``: those
    in that arrangement's record.
    """
    rows = Conflict.objects.select_related("ccg").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("source").order_by("id"))
    )
    if commissioner is not None:
        rows = rows.filter(commissioner=commissioner)
    if known_at is not None:
        rows = rows.filter(recorded_at__lte=recorded_by(known_at))
    if ccg is not None:
        rows = rows.filter(ccg=ccg)
    if about_people:
        rows = rows.exclude(person_name="")
    return list(rows)


def people_named(commissioner=None):
    """[(name, [role claims])]: every person the sources of ``commissioner``'s record (None:
    every record) name, each role in the source's words with its date, earliest first; one
    query."""
    people = {}
    rows = claims(ClaimKind.ROLE, commissioner=commissioner)
    rows.sort(key=lambda claim: (claim.person_name, claim.date or datetime.date.min, claim.pk))
    for claim in rows:
        people.setdefault(claim.person_name, []).append(claim)
    return sorted(people.items(), key=lambda item: item[0].split()[-1])
