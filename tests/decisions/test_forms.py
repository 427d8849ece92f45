import datetime

import pytest
from django.core.exceptions import ValidationError

from decisions.forms import DecisionForm
from records.dates import Precision
from records.forms import SourceForm, entered
from records.widgets import EnteredDate
from tests.decisions.date_boxes import with_dates
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def decision_data(**overrides):
    data = {
        "body": "governing_body",
        "outcome": "agreed",
        "meeting_date": "2018-03-19",
        "meeting_date_precision": "day",
        "effective_date": "2018-03-19",
        "effective_date_precision": "day",
        "expected_date_precision": "day",
        "new_source_published_precision": "day",
        "summary": "Thanet CCG joined.",
        "reason": "003: Thanet joined on 19 March",
        "version": "3",
    }
    data.update(overrides)
    return with_dates(data)


def test_an_existing_source_gives_the_services_arguments():
    source = SourceFactory()
    form = DecisionForm(decision_data(source=str(source.pk)))

    assert form.is_valid(), form.errors
    assert form.new_source is None
    arguments = form.decision_arguments()
    assert arguments["expected_version"] == 3
    assert arguments["outcome"] == "agreed"
    assert arguments["meeting_date"].isoformat() == "2018-03-19"
    assert arguments["meeting_date_precision"] == "day"
    assert "source" not in arguments and "version" not in arguments


@pytest.mark.parametrize(
    ("typed", "chosen", "stored", "precision"),
    [
        ("2018-02-27", "day", "2018-02-27", "day"),
        ("2018-02", "day", "2018-02-28", "month"),
        ("2018", "day", "2018-12-31", "year"),
        ("2018-02-27", "on_or_before", "2018-02-27", "on_or_before"),
        ("2018-02", "on_or_before", "2018-02-28", "by_month"),
        ("2018-02-10", "month", "2018-02-10", "month"),
    ],
)
def test_empty_boxes_and_the_precision_say_how_vague_a_date_is(typed, chosen, stored, precision):
    form = DecisionForm(
        decision_data(
            source=str(SourceFactory().pk), meeting_date=typed, meeting_date_precision=chosen
        )
    )

    assert form.is_valid(), form.errors
    arguments = form.decision_arguments()
    assert arguments["meeting_date"].isoformat() == stored
    assert arguments["meeting_date_precision"] == precision


def test_a_source_is_required():
    form = DecisionForm(decision_data())

    assert not form.is_valid()
    assert form.errors["source"] == ["Choose a source or add a new one."]


def test_an_existing_and_a_new_source_together_are_refused():
    form = DecisionForm(decision_data(source=str(SourceFactory().pk), new_source_title="Minutes"))

    assert not form.is_valid()
    assert form.errors["source"] == ["Choose an existing source or add a new one, not both."]


def test_a_new_source_needs_a_title_a_publisher_and_a_quote():
    form = DecisionForm(decision_data(new_source_url="https://example.org/minutes"))

    assert not form.is_valid()
    assert form.errors["new_source_title"] == ["Give the source's title."]
    assert form.errors["new_source_publisher"] == ["Give the source's publisher."]
    assert form.errors["new_source_quote"] == ["Quote the passage that supports this decision."]


def test_a_complete_new_source_gives_source_create_arguments():
    form = DecisionForm(
        decision_data(
            new_source_title="Minutes",
            new_source_publisher="Thanet CCG",
            new_source_published="2018-03",
            new_source_quote="Agreed to join.",
        )
    )

    assert form.is_valid(), form.errors
    assert form.new_source["title"] == "Minutes"
    assert form.new_source["published_precision"] == "month"
    assert form.new_source["published"].isoformat() == "2018-03-31"


def test_a_reason_is_required():
    form = DecisionForm(decision_data(source=str(SourceFactory().pk), reason=""))

    assert not form.is_valid()
    assert form.errors["reason"] == ["Give the reason for this change."]


def test_service_errors_land_on_the_matching_fields():
    form = DecisionForm(decision_data(source=str(SourceFactory().pk)))
    assert form.is_valid()

    form.add_service_errors(
        ValidationError(
            {
                "effective_date": ["The date it takes effect cannot be before the meeting date."],
                "sources": ["Cite at least one source for this decision."],
                "ccg": ["A decision that changes membership must name the CCG."],
            }
        )
    )

    assert form.errors["effective_date"] == [
        "The date it takes effect cannot be before the meeting date."
    ]
    assert form.errors["source"] == ["Cite at least one source for this decision."]
    assert form.non_field_errors() == ["A decision that changes membership must name the CCG."]


def test_source_create_errors_land_on_the_new_source_fields():
    form = DecisionForm(
        decision_data(
            new_source_title="Minutes",
            new_source_publisher="Thanet CCG",
            new_source_published="2018-03",
            new_source_quote="Q",
        )
    )
    assert form.is_valid()

    form.add_service_errors(ValidationError({"new_source_url": ["Enter a valid URL."]}))

    assert form.errors["new_source_url"] == ["Enter a valid URL."]


def test_the_source_form_needs_a_title_publisher_date_and_quote():
    form = SourceForm({"published_precision": "day"})

    assert not form.is_valid()
    assert set(form.errors) == {"title", "publisher", "published", "quote"}


@pytest.mark.parametrize(
    ("typed", "chosen", "kept"),
    [
        (Precision.YEAR, Precision.MONTH, Precision.YEAR),
        (Precision.YEAR, Precision.DAY, Precision.YEAR),
        (Precision.MONTH, Precision.ON_OR_BEFORE, Precision.BY_MONTH),
        (Precision.MONTH, Precision.YEAR, Precision.YEAR),
        (Precision.DAY, Precision.MONTH, Precision.MONTH),
        (Precision.DAY, Precision.DAY, Precision.DAY),
    ],
)
def test_the_precision_select_never_invents_a_month_or_day_that_was_not_typed(typed, chosen, kept):
    value = EnteredDate(datetime.date(2018, 12, 31), typed)

    assert entered(value, chosen)[1] == kept
