"""The end of a CCG's log in order (``decisions.derivation.in_order``), in the database.

A CCG page lists the latest decisions about it in the order they took effect. A national
record's log holds thousands of decisions about one CCG, and reading them all into
Python to order them cost that page more than everything else on it. Here the database
places each decision by the derivation's rules, written once more as window functions,
and returns only the latest. The property test
(``tests/decisions/test_derivation_properties.py``) holds this to ``in_order`` on random
histories.
"""

from django.db.models import Case, Count, F, Min, Q, When, Window
from django.db.models.expressions import RowRange

from .derivation import LoggedDecision
from .models import UPPER_BOUNDS


def latest_in_order(decisions, latest):
    """(The last ``latest`` of ``decisions`` (one CCG's) in log order, oldest first, as
    LoggedDecision; how many there are in all). One query."""
    # A decision holds from ``in_effect_from``; one known only "by" a day is placed no
    # later than the earliest day of a decision recorded after it. The window runs
    # backwards from the last recorded so that its frame only grows: PostgreSQL computes
    # a frame "1 FOLLOWING AND UNBOUNDED FOLLOWING" again for every row (half a second
    # for 3,000 decisions).
    earliest_later = Window(
        Min("in_effect_from"),
        partition_by=[F("ccg")],
        order_by=[F("recorded_at").desc(), F("pk").desc()],
        frame=RowRange(start=None, end=-1),
    )
    placed = decisions.annotate(earliest_later=earliest_later, total=Window(Count("pk")))
    placed = placed.annotate(
        place=Case(
            When(
                Q(in_effect_from_precision__in=UPPER_BOUNDS)
                & Q(earliest_later__lt=F("in_effect_from")),
                then=F("earliest_later"),
            ),
            default=F("in_effect_from"),
        )
    )
    rows = list(
        placed.order_by("-place", "-recorded_at", "-pk").values_list(
            *LoggedDecision.FIELDS, "total"
        )[:latest]
    )
    total = rows[0][-1] if rows else 0
    return [LoggedDecision(*row[:-1]) for row in reversed(rows)], total
