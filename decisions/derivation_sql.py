"""The end of a CCG's log in order (``decisions.derivation.in_order``), in the database.

A CCG page lists the latest decisions about it in the order they took effect. A national
record's log holds thousands of decisions about one CCG, and reading them all into
Python to order them cost that page more than everything else on it. Here the database
places each decision by the derivation's rules, written once more in SQL with window
functions, and returns only the latest. The property test
(``tests/decisions/test_derivation_properties.py``) holds this to ``in_order`` on random
histories. The SQL is standard (window frames, ``CASE``): PostgreSQL and SQLite alike.
"""

import datetime

from django.db import connection

from .derivation import LoggedDecision
from .models import UPPER_BOUNDS

_COLUMNS = [field if field != "pk" else "id" for field in LoggedDecision.FIELDS]
_FIELDS = ", ".join(_COLUMNS)

# A decision holds from ``in_effect_from``; one known only "by" a day is placed no later
# than the earliest day of a decision recorded after it. The window runs backwards from
# the last recorded so that its frame only grows: a frame "1 FOLLOWING AND UNBOUNDED
# FOLLOWING" is computed again for every row (half a second for 3,000 decisions).
_LATEST = f"""
    WITH log AS (
        SELECT {_FIELDS},
            MIN(in_effect_from) OVER (
                PARTITION BY ccg_id ORDER BY recorded_at DESC, id DESC
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) AS earliest_later
        FROM ({{decisions}}) AS decisions
    ),
    placed AS (
        SELECT {_FIELDS},
            CASE WHEN in_effect_from_precision IN (%s, %s) AND earliest_later < in_effect_from
                THEN earliest_later ELSE in_effect_from END AS place
        FROM log
    )
    SELECT {_FIELDS}, COUNT(*) OVER () FROM placed
    ORDER BY place DESC, recorded_at DESC, id DESC
    LIMIT %s
"""  # noqa: S608 - only column names and the ORM's own SQL are formatted in; values are parameters


def latest_in_order(decisions, latest):
    """(The last ``latest`` of ``decisions`` (one CCG's) in log order, oldest first, as
    LoggedDecision; how many there are in all). Two sorts in the database, one query."""
    sql, params = decisions.order_by().values_list(*_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_LATEST.format(decisions=sql), (*params, *UPPER_BOUNDS, latest))
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    return [LoggedDecision(*_typed(row[:-1])) for row in reversed(rows)], total


def _typed(fields):
    """A raw query on SQLite returns dates and times as text, which the ORM would convert."""
    pk, ccg_id, outcome, in_effect_from, precision, recorded_at = fields
    if isinstance(in_effect_from, str):
        in_effect_from = datetime.date.fromisoformat(in_effect_from)
    if isinstance(recorded_at, str):
        recorded_at = datetime.datetime.fromisoformat(recorded_at)
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=datetime.UTC)
    return pk, ccg_id, outcome, in_effect_from, precision, recorded_at
