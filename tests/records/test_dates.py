import datetime

import pytest

from records.dates import (
    Precision,
    earliest,
    format_fuzzy,
    iso_fuzzy,
    normalise,
    since_phrase,
    stored,
)


@pytest.mark.parametrize(
    ("entered", "precision", "kept", "shown", "iso"),
    [
        ("2018-03-19", Precision.DAY, "2018-03-19", "19 March 2018", "2018-03-19"),
        ("2018-02-01", Precision.MONTH, "2018-02-28", "February 2018", "2018-02"),
        ("2016-02-10", Precision.MONTH, "2016-02-29", "February 2016", "2016-02"),
        ("2018-01-05", Precision.BY_MONTH, "2018-01-31", "by January 2018", "2018-01"),
        ("2018-02-27", Precision.ON_OR_BEFORE, "2018-02-27", "by 27 February 2018", "2018-02-27"),
        ("2018-06-01", Precision.YEAR, "2018-12-31", "2018", "2018"),
    ],
)
def test_a_date_is_kept_as_the_last_day_it_could_mean_and_shown_at_its_precision(
    entered, precision, kept, shown, iso
):
    day, kept_precision = stored(datetime.date.fromisoformat(entered), precision)

    assert day == datetime.date.fromisoformat(kept)
    assert kept_precision == precision
    assert format_fuzzy(day, precision) == shown
    assert iso_fuzzy(day, precision) == iso


def test_a_month_never_shows_an_invented_day():
    assert "28" not in format_fuzzy(normalise(datetime.date(2018, 2, 1), Precision.MONTH), "month")


def test_an_unknown_date_says_so():
    assert format_fuzzy(None) == "date not stated"
    assert stored(None, Precision.MONTH) == (None, Precision.MONTH)


def test_earliest_day_of_a_month_and_no_lower_bound_for_on_or_before():
    assert earliest(datetime.date(2018, 2, 28), Precision.MONTH) == datetime.date(2018, 2, 1)
    assert earliest(datetime.date(2018, 2, 27), Precision.ON_OR_BEFORE) is None


@pytest.mark.parametrize(
    ("day", "precision", "phrase"),
    [
        ("2018-03-19", Precision.DAY, "since 19 March 2018"),
        ("2018-02-28", Precision.MONTH, "since February 2018"),
        ("2018-02-27", Precision.ON_OR_BEFORE, "by 27 February 2018"),
        ("2018-01-31", Precision.BY_MONTH, "by January 2018"),
    ],
)
def test_since_never_reads_since_by(day, precision, phrase):
    assert since_phrase(datetime.date.fromisoformat(day), precision) == phrase
