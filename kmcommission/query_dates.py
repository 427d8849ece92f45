"""Reading the point-in-time parameters (?as_at=, ?known_at=) that pages and the API share."""

import datetime

from django.utils import timezone

# The record is about the 2010s onwards; far-off dates are typing mistakes, and
# the very last ones overflow when turned into "the end of that day".
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class BadDate(ValueError):
    pass


def parse_day(value, name, default=None):
    """A YYYY-MM-DD query parameter, or ``default`` when absent; BadDate names the problem."""
    if value in (None, ""):
        return default
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadDate(
            f"{name} must be a date written YYYY-MM-DD, for example 2018-03-13."
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise BadDate(f"{name} must be between 1900 and 2100.")
    return day


def point_in_time(params):
    """(as_at, known_at_day) from a request's GET parameters; as_at defaults to today."""
    as_at = parse_day(params.get("as_at"), "as_at", default=timezone.localdate())
    known_at = parse_day(params.get("known_at"), "known_at")
    return as_at, known_at
