"""Dates as precise as their sources, and no more.

A source that says "February 2018" is stored with MONTH precision. The stored
day is always the *last* day the statement could mean (28 February), so that
"in effect on" a date means "certainly in effect by then", one rule for every
precision. Display goes through ``format_fuzzy`` and never shows that day.
"""

import calendar
import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# The record is about the 2010s onwards; far-off dates are typing mistakes, and
# the very last ones overflow when turned into "the end of that day".
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class Precision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    ON_OR_BEFORE = "on_or_before", "On or before the day given"
    BY_MONTH = "by_month", "By the end of the month given"


def no_such_day(year: int, month: int, day: int) -> str | None:
    """Why a day written as numbers does not exist ("31 February 2018 does not exist
    (February 2018 has 28 days)"), or None when it exists or the trouble is elsewhere."""
    if not 1 <= month <= 12:
        return f"there is no month {month} (months go from 1 to 12)"
    if not 1 <= year <= 9999 or day < 1:
        return None
    days = calendar.monthrange(year, month)[1]
    if day <= days:
        return None
    name = datetime.date(year, month, 1).strftime("%B %Y")
    return f"{day} {name} does not exist ({name} has {days} days)"


def normalise(day: datetime.date, precision: str) -> datetime.date:
    """The day to store for ``day`` shown at ``precision``: the last it could mean."""
    if precision in (Precision.MONTH, Precision.BY_MONTH):
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == Precision.YEAR:
        return day.replace(month=12, day=31)
    return day


def stored(day: datetime.date | None, precision: str):
    """(day to store, precision) for a date entered at ``precision``; None stays None."""
    return (normalise(day, precision), precision) if day else (None, precision)


def format_fuzzy(day: datetime.date | None, precision: str = Precision.DAY) -> str:
    if day is None:
        return "date not stated"
    if precision == Precision.MONTH:
        return day.strftime("%B %Y")
    if precision == Precision.BY_MONTH:
        return day.strftime("by %B %Y")
    if precision == Precision.YEAR:
        return str(day.year)
    text = f"{day.day} {day:%B %Y}"
    if precision == Precision.ON_OR_BEFORE:
        return f"by {text}"
    return text


def since_phrase(day: datetime.date | None, precision: str = Precision.DAY) -> str:
    """'since March 2018', or 'by January 2018' where the source gives only a latest date."""
    text = format_fuzzy(day, precision)
    return text if text.startswith("by ") or day is None else f"since {text}"


def iso_fuzzy(day: datetime.date | None, precision: str = Precision.DAY) -> str | None:
    """ISO 8601 at the stated precision: 2018-02 for a month, 2018 for a year."""
    if day is None:
        return None
    if precision in (Precision.MONTH, Precision.BY_MONTH):
        return day.strftime("%Y-%m")
    if precision == Precision.YEAR:
        return str(day.year)
    return day.isoformat()


class RecordDateField(models.DateField):
    """A date the record keeps: from 1900 to 2100, the one rule the admin, the forms, the
    services and the loader share (a meeting typed as 9999 would break every page)."""

    default_validators = [
        MinValueValidator(EARLIEST, "Give a date from 1900 to 2100."),
        MaxValueValidator(LATEST, "Give a date from 1900 to 2100."),
    ]


def precision_field():
    return models.CharField(max_length=12, choices=Precision.choices, default=Precision.DAY)


def sort_day(day: datetime.date, precision: str) -> datetime.date:
    """Where a date sits in a list ordered by when things happened: the first day it could
    mean ("January 2018" and "by January 2018" before "26 January 2018"); a day known only
    as "on or before" sits on that day."""
    if precision in (Precision.MONTH, Precision.BY_MONTH):
        return day.replace(day=1)
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def earliest(day: datetime.date | None, precision: str) -> datetime.date | None:
    """The first day a stored date could mean; None where the source gives no lower bound."""
    if day is None or precision in (Precision.ON_OR_BEFORE, Precision.BY_MONTH):
        return None
    if precision == Precision.MONTH:
        return day.replace(day=1)
    if precision == Precision.YEAR:
        return day.replace(month=1, day=1)
    return day
