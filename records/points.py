"""The point in time every page and the API answer for: in effect on a day, as recorded on a day.

``as_at`` and ``known_at`` are both days (``datetime.date``). "As recorded on
1 March" means what the record said at the end of 1 March, London time:
``recorded_by`` turns the day into that moment, in this one place.
"""

import datetime

from django.utils import timezone

# The record is about the 2010s onwards; far-off dates are typing mistakes, and
# the very last ones overflow when turned into "the end of that day".
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in local time: 'as recorded on 1 March' includes 1 March."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight) - datetime.timedelta(microseconds=1)


def recorded_by(known_at: datetime.date | None) -> datetime.datetime | None:
    """The moment 'as recorded on ``known_at``' reads the history up to; None: up to now."""
    return end_of_day(known_at) if known_at is not None else None


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
    """(as_at, known_at) from a request's GET parameters; as_at defaults to today."""
    as_at = parse_day(params.get("as_at"), "as_at", default=timezone.localdate())
    known_at = parse_day(params.get("known_at"), "known_at")
    return as_at, known_at
