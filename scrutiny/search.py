"""Search across one arrangement's record: CCGs, people, posts, decisions and sources.

On PostgreSQL a query is matched by full-text search (English stemming: "joins" finds
"joined") as well as by part of a word; elsewhere (SQLite) by part of a word only.
One query per kind, each capped, whatever the size of the record.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q

from decisions.models import Decision
from decisions.selectors import arrangement_ccgs
from records.models import Claim
from records.selectors import sources_of
from roles.models import Assignment, Person, Post

LIMIT = 20
MIN_LENGTH = 2
MAX_LENGTH = 100


@dataclass
class Results:
    query: str
    ccgs: list = field(default_factory=list)
    people: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    sources: list = field(default_factory=list)

    @property
    def count(self):
        return sum(
            len(found)
            for found in (self.ccgs, self.people, self.posts, self.decisions, self.sources)
        )


def _matching(queryset, query, fields):
    """``queryset`` filtered to rows where any of ``fields`` matches ``query``."""
    words = Q()
    for name in fields:
        words |= Q(**{f"{name}__icontains": query})
    if connection.vendor != "postgresql":
        return queryset.filter(words)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector(*fields, config="english")
    found = SearchQuery(query, config="english", search_type="websearch")
    return queryset.annotate(search=vector).filter(Q(search=found) | words)


def search(query, commissioner=None):
    """What the record of ``commissioner`` (an arrangement; None: the whole record) holds about
    ``query``; nothing for fewer than two characters."""
    query = " ".join((query or "").split())[:MAX_LENGTH]
    results = Results(query=query)
    if len(query) < MIN_LENGTH:
        return results
    ccgs = arrangement_ccgs(commissioner)
    people = Person.objects.all()
    assignments = Assignment.objects.select_related("post")
    posts = Post.objects.select_related("ccg")
    decisions = Decision.objects.current().select_related("ccg", "commissioner")
    if commissioner is not None:
        # A person is an arrangement's through its posts they hold or its sources that name
        # them; one in no record yet (added in the admin, no post) is found from every one.
        holds = Assignment.objects.filter(person=OuterRef("pk"))
        named = Claim.objects.filter(person_name=OuterRef("name"))
        people = people.filter(
            Exists(holds.filter(post__commissioner=commissioner))
            | Exists(named.filter(commissioner=commissioner))
            | (~Exists(holds) & ~Exists(named))
        )
        assignments = assignments.filter(post__commissioner=commissioner)
        posts = posts.filter(commissioner=commissioner)
        decisions = decisions.filter(commissioner=commissioner)
    results.ccgs = list(_matching(ccgs, query, ["name", "ods_code"])[:LIMIT])
    results.people = list(
        _matching(people, query, ["name"]).prefetch_related(
            Prefetch("assignments", queryset=assignments)
        )[:LIMIT]
    )
    results.posts = list(_matching(posts, query, ["title", "note"])[:LIMIT])
    results.decisions = list(
        _matching(decisions, query, ["summary", "ccg__name"]).order_by("-in_effect_from")[:LIMIT]
    )
    results.sources = list(
        _matching(sources_of(commissioner), query, ["title", "publisher", "quote"]).order_by(
            "-published"
        )[:LIMIT]
    )
    return results
