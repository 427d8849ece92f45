"""Search across the record: CCGs, people, posts, decisions and sources.

On PostgreSQL a query is matched by full-text search (English stemming: "joins" finds
"joined") as well as by part of a word; elsewhere (SQLite) by part of a word only.
One query per kind, each capped, whatever the size of the record.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from ccgs.models import CCG
from decisions.models import Decision
from records.models import Source
from roles.models import Person, Post

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


def search(query):
    """What the record holds about ``query``; nothing for fewer than two characters."""
    query = " ".join((query or "").split())[:MAX_LENGTH]
    results = Results(query=query)
    if len(query) < MIN_LENGTH:
        return results
    results.ccgs = list(_matching(CCG.objects.all(), query, ["name", "ods_code"])[:LIMIT])
    results.people = list(
        _matching(Person.objects.all(), query, ["name"]).prefetch_related("assignments__post")[
            :LIMIT
        ]
    )
    results.posts = list(
        _matching(Post.objects.select_related("ccg"), query, ["title", "note"])[:LIMIT]
    )
    results.decisions = list(
        _matching(
            Decision.objects.current().select_related("ccg", "commissioner"),
            query,
            ["summary", "ccg__name"],
        ).order_by("-in_effect_from")[:LIMIT]
    )
    results.sources = list(
        _matching(Source.objects.all(), query, ["title", "publisher", "quote"]).order_by(
            "-published"
        )[:LIMIT]
    )
    return results
