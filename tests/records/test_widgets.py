import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError

from records.dates import Precision
from records.widgets import DateInputField, EnteredDate


class MeetingForm(forms.Form):
    meeting_date = DateInputField(label="Meeting date")
    effective_date = DateInputField(label="Effective date", required=False, allow_partial=True)


def posted(day="", month="", year="", effective=("", "", "")):
    data = {"meeting_date_day": day, "meeting_date_month": month, "meeting_date_year": year}
    for part, value in zip(("day", "month", "year"), effective, strict=True):
        data[f"effective_date_{part}"] = value
    return data


def errors_for(data, field="meeting_date"):
    form = MeetingForm(data)
    form.is_valid()
    return form.errors.get(field)


def test_three_boxes_make_a_date():
    form = MeetingForm(posted(" 19", "03", "2018 "))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["meeting_date"] == datetime.date(2018, 3, 19)
    assert form.cleaned_data["effective_date"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the meeting date"),
        ("19", "3", "", "Meeting date must include a year"),
        ("", "3", "2018", "Meeting date must include a day"),
        ("19", "", "", "Meeting date must include a month and year"),
        (
            "30",
            "2",
            "2018",
            "Meeting date must be a real date: 30 February 2018 does not exist (February 2018 has 28 days)",
        ),
        ("19", "March", "2018", "Meeting date must be a real date"),
        ("19", "3", "18", "Year must include 4 numbers"),
    ],
)
def test_nhs_wording_for_each_mistake(day, month, year, message):
    assert errors_for(posted(day, month, year)) == [message]


def test_partial_dates_keep_their_precision_and_store_the_last_day():
    form = MeetingForm(posted("1", "1", "2018", effective=("", "2", "2018")))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["effective_date"] == EnteredDate(
        datetime.date(2018, 2, 28), Precision.MONTH
    )

    form = MeetingForm(posted("1", "1", "2018", effective=("", "", "2018")))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["effective_date"] == EnteredDate(
        datetime.date(2018, 12, 31), Precision.YEAR
    )

    form = MeetingForm(posted("1", "1", "2018", effective=("19", "3", "2018")))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["effective_date"] == EnteredDate(
        datetime.date(2018, 3, 19), Precision.DAY
    )


def test_partial_date_still_needs_a_year_and_a_month_when_a_day_is_given():
    assert errors_for(posted("1", "1", "2018", effective=("19", "", "2018")), "effective_date") == [
        "Effective date must include a month"
    ]
    assert errors_for(posted("1", "1", "2018", effective=("", "3", "")), "effective_date") == [
        "Effective date must include a year"
    ]


def test_an_initial_date_fills_the_boxes_at_its_precision():
    form = MeetingForm(
        initial={
            "meeting_date": datetime.date(2018, 3, 19),
            "effective_date": EnteredDate(datetime.date(2018, 2, 28), Precision.MONTH),
        }
    )

    assert form["meeting_date"].value() == ["19", "3", "2018"]
    assert form["effective_date"].value() == ["", "2", "2018"]


def test_unchanged_date_is_not_reported_as_changed():
    form = MeetingForm(
        posted("19", "3", "2018"), initial={"meeting_date": datetime.date(2018, 3, 19)}
    )

    assert "meeting_date" not in form.changed_data


def test_custom_required_message_is_kept():
    class Form(forms.Form):
        day = DateInputField(label="Review by", error_messages={"required": "Give a review date"})

    form = Form({})
    assert form.errors["day"] == ["Give a review date"]


@pytest.mark.parametrize("year", ["9999", "1066"])
def test_a_date_outside_1900_to_2100_is_refused_with_a_message(year):
    field = DateInputField(label="Meeting date", allow_partial=True)

    with pytest.raises(ValidationError, match="Meeting date must be between 1900 and 2100"):
        field.clean(["31", "12", year])


def test_a_day_too_large_for_a_computer_integer_is_not_a_real_date():
    from records.widgets import DateInputField

    field = DateInputField(label="Date published")
    with pytest.raises(ValidationError, match="Date published must be a real date"):
        field.clean(["2147483648", "1", "2018"])
