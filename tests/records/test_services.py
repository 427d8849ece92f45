import datetime

import pytest

from records.models import EventKind, TimelineEvent
from records.services import source_create

pytestmark = pytest.mark.django_db


def test_a_new_source_is_published_on_the_timeline(staff):
    already = list(TimelineEvent.objects.values_list("pk", flat=True))
    source = source_create(
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
