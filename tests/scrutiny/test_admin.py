import pytest

from records.models import EventKind, Source, TimelineEvent
from scrutiny.models import ScrutinyMeeting
from tests.factories import story

pytestmark = pytest.mark.django_db


def test_a_meeting_added_in_the_admin_reaches_the_timeline_with_who_and_why(
    client, kent_medway, admin
):
    client.force_login(admin)
    source = Source.objects.get(key="003")

    response = client.post(
        "/admin/scrutiny/scrutinymeeting/add/",
        {
            "commissioner": story().pk,
            "committee": "Medway Council Health and Adult Social Care Overview and Scrutiny",
            "date": "2018-06-05",
            "item": "Kent and Medway Strategic Commissioner",
            "outcome": "Update noted.",
            "sources": [source.pk],
            "change_reason": "Agenda published by Medway Council",
        },
    )

    assert response.status_code == 302
    meeting = ScrutinyMeeting.objects.get(date="2018-06-05")
    assert list(meeting.sources.all()) == [source]
    (row,) = meeting.history.all()
    assert row.history_user == admin
    assert row.history_change_reason == "Agenda published by Medway Council"
    (event,) = TimelineEvent.objects.about(meeting)
    assert event.kind == EventKind.SCRUTINY_MEETING
    assert event.title.startswith(f"{meeting.committee} meeting: ")


def test_a_recorded_meeting_cannot_be_changed_or_deleted_in_the_admin(client, kent_medway, admin):
    client.force_login(admin)
    meeting = ScrutinyMeeting.objects.get(date="2018-04-27")

    client.post(
        f"/admin/scrutiny/scrutinymeeting/{meeting.pk}/change/",
        {"committee": meeting.committee, "date": "2018-04-27", "cancelled": "on", "item": "x"},
    )
    client.post(f"/admin/scrutiny/scrutinymeeting/{meeting.pk}/delete/", {"post": "yes"})

    meeting.refresh_from_db()
    assert not meeting.cancelled
    assert TimelineEvent.objects.about(meeting).exists()


def test_a_cited_source_cannot_be_deleted_nor_its_date_changed_in_the_admin(
    client, kent_medway, admin
):
    client.force_login(admin)
    source = Source.objects.get(key="002")

    client.post(f"/admin/records/source/{source.pk}/delete/", {"post": "yes"})
    client.post(
        f"/admin/records/source/{source.pk}/change/",
        {
            "title": source.title,
            "publisher": source.publisher,
            "published": "2019-01-01",
            "quote": source.quote,
            "change_reason": "Typo in the title",
        },
    )

    source.refresh_from_db()
    assert source.published.isoformat() == "2018-02-27"
    assert source.decisions.count() == 8  # six agreements, Thanet out, South Kent Coast deferred
