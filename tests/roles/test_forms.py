"""The function move and add forms: the date read from three boxes and a precision select."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from records.dates import Precision
from records.models import Source
from roles.forms import FunctionAddForm, FunctionMoveForm
from roles.models import Level

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "level": Level.LOCALITY_GROUP,
        "since_day": "",
        "since_month": "5",
        "since_year": "2018",
        "since_precision": Precision.DAY,
        "placed_by": "Final design workshop, May 2018",
        "sources": [Source.objects.get(key="003").pk],
        "reason": "The workshop placed it in the locality groups",
        "version": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("typed", "chosen", "since", "precision"),
    [
        # The boxes alone say how vague the date is: no day typed means a month.
        (("", "5", "2018"), Precision.DAY, datetime.date(2018, 5, 31), Precision.MONTH),
        (("15", "3", "2018"), Precision.DAY, datetime.date(2018, 3, 15), Precision.DAY),
        (("", "", "2018"), Precision.DAY, datetime.date(2018, 12, 31), Precision.YEAR),
        # The select may make the date vaguer (the service stores the month's last day)...
        (("15", "3", "2018"), Precision.MONTH, datetime.date(2018, 3, 15), Precision.MONTH),
        (("15", "3", "2018"), Precision.ON_OR_BEFORE, datetime.date(2018, 3, 15), "on_or_before"),
        # ...but never invents a day or a month that was not typed.
        (("", "5", "2018"), Precision.ON_OR_BEFORE, datetime.date(2018, 5, 31), "by_month"),
        (("", "", "2018"), Precision.MONTH, datetime.date(2018, 12, 31), Precision.YEAR),
    ],
)
def test_the_boxes_and_the_precision_give_the_services_date(
    kent_medway, typed, chosen, since, precision
):
    day, month, year = typed
    form = FunctionMoveForm(
        form_data(since_day=day, since_month=month, since_year=year, since_precision=chosen)
    )

    assert form.is_valid(), form.errors
    arguments = form.placement_arguments()
    assert (arguments["since"], arguments["since_precision"]) == (since, precision)
    assert arguments["sources"] == [Source.objects.get(key="003")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter the date it was placed at this level."),
        (("5", "", "2018"), "Date placed at this level must include a month"),
        (("", "5", ""), "Date placed at this level must include a year"),
        (
            ("31", "2", "2018"),
            "Date placed at this level must be a real date: "
            "31 February 2018 does not exist (February 2018 has 28 days)",
        ),
        (("1", "5", "18"), "Year must include 4 numbers"),
    ],
)
def test_a_missing_or_impossible_date_is_refused_on_the_date(kent_medway, typed, message):
    day, month, year = typed
    form = FunctionMoveForm(form_data(since_day=day, since_month=month, since_year=year))

    assert not form.is_valid()
    assert form.errors == {"since": [message]}


def test_every_other_field_says_what_is_missing(kent_medway):
    form = FunctionAddForm({"since_precision": ""})

    assert not form.is_valid()
    assert form.errors == {
        "name": ["Enter the name of the function."],
        "level": ["Choose the level the function sits at."],
        "since": ["Enter the date it was placed at this level."],
        "since_precision": ["Choose how precise the date is."],
        "placed_by": ["Say which decision or workshop placed it here."],
        "sources": ["Cite at least one source."],
        "reason": ["Give the reason for this change."],
    }


def test_a_function_name_already_in_use_is_refused_whatever_its_case(kent_medway):
    form = FunctionAddForm(form_data(name="  stroke REVIEW "))

    assert not form.is_valid()
    assert form.errors["name"] == ["There is already a function with that name: move it instead."]


def test_service_errors_land_on_the_fields_they_concern(kent_medway):
    form = FunctionMoveForm(form_data())
    assert form.is_valid()

    form.add_service_errors(
        ValidationError({"since": ["Too early."], "placed_by": ["Too long."], "name": ["Taken."]})
    )

    assert form.errors["since"] == ["Too early."]
    assert form.errors["placed_by"] == ["Too long."]
    # The move form has no name field: the error still shows, above the form.
    assert form.non_field_errors() == ["Taken."]
