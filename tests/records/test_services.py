import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from records.models import EventKind, Source, TimelineEvent
from records.services import source_create
from tests.factories import CommissionerFactory

pytestmark = pytest.mark.django_db


def test_a_new_source_is_published_on_the_timeline(staff):
    already = list(TimelineEvent.objects.values_list("pk", flat=True))
    source = source_create(
        commissioner=CommissionerFactory(),
        title="Thanet CCG governing body papers",
        publisher="Thanet CCG",
        published=datetime.date(2018, 3, 1),
        published_precision="month",
        quote="The governing body agreed to join.",
        user=staff,
    )

    (event,) = TimelineEvent.objects.filter(kind=EventKind.SOURCE_PUBLISHED).exclude(pk__in=already)
    assert event.date_display == "March 2018"
    assert list(event.sources.all()) == [source]
    assert source.history.get().history_user == staff


@pytest.mark.parametrize(
    ("published", "precision", "message"),
    [
        (datetime.date(2031, 1, 1), "day", "The date published cannot be after today"),
        (datetime.date(2031, 1, 1), "year", "The date published cannot be after today"),
        (None, "day", "Enter the date the source was published"),
    ],
)
def test_a_source_not_yet_published_or_undated_is_refused_and_nothing_written(
    staff, published, precision, message
):
    """An undated source would sit in every picker but on no page of the timeline."""
    with pytest.raises(ValidationError) as refused:
        source_create(
            commissioner=CommissionerFactory(),
            title="Papers from the future",
            publisher="Thanet CCG",
            published=published,
            published_precision=precision,
            quote="The governing body agreed to join.",
            user=staff,
        )

    assert message in refused.value.message_dict["published"][0]
    assert not Source.objects.filter(title="Papers from the future").exists()
    assert not Source.history.filter(title="Papers from the future").exists()


def test_a_source_published_today_is_accepted(staff):
    source = source_create(
        commissioner=CommissionerFactory(),
        title="Today's papers",
        publisher="Thanet CCG",
        published=timezone.localdate(),
        quote="Agreed.",
        user=staff,
    )

    assert source.published == timezone.localdate()
