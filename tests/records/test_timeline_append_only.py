"""The timeline is append-only through the ORM too, on every database (PostgreSQL's
triggers are tested in test_append_only.py)."""

import pytest

from records.models import TimelineEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "write",
    [
        lambda events: events.update(title="Rewritten"),
        lambda events: events.delete(),
        lambda events: TimelineEvent._base_manager.filter(pk=events[0].pk).update(title="x"),
        lambda events: events.bulk_update(list(events), ["title"]),
    ],
    ids=["update", "delete", "base manager update", "bulk_update"],
)
def test_no_queryset_changes_or_removes_an_event(kent_medway, write):
    events = TimelineEvent.objects.order_by("pk")[:3]
    before = list(TimelineEvent.objects.values_list("pk", "title"))

    with pytest.raises(TypeError, match="append-only"):
        write(TimelineEvent.objects.filter(pk__in=[e.pk for e in events]))

    assert list(TimelineEvent.objects.values_list("pk", "title")) == before


def test_an_event_once_written_is_neither_saved_again_nor_deleted(kent_medway):
    event = TimelineEvent.objects.order_by("pk").first()
    event.title = "Rewritten"

    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()

    event.refresh_from_db()
    assert event.title != "Rewritten"
