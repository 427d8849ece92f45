"""Every date the record keeps is from 1900 to 2100, whichever way it arrives."""

import datetime

import pytest
from django.urls import reverse

from scrutiny.models import ScrutinyMeeting
from tests.factories import admin_user, story

pytestmark = pytest.mark.django_db


def test_an_admin_typing_9999_for_a_meeting_is_told_and_every_page_still_works(client, kent_medway):
    client.force_login(admin_user(username="ari", is_superuser=True))
    from records.models import Source

    response = client.post(
        reverse("admin:scrutiny_scrutinymeeting_add"),
        {
            "committee": "Kent and Medway HOSC",
            "date": "9999-12-25",
            "cancelled": "",
            "item": "Update",
            "outcome": "",
            "sources": [Source.objects.get(key="003").pk],
            "change_reason": "Typo test",
        },
    )

    assert response.status_code == 200
    assert "Give a date from 1900 to 2100." in response.content.decode()
    assert not ScrutinyMeeting.objects.filter(date__year=9999).exists()
    assert client.get(reverse("scrutiny:chart")).status_code == 200


def test_a_source_page_date_box_with_a_huge_day_is_an_error_not_a_crash(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("decisions:source_add"),
        {
            "title": "Minutes",
            "publisher": "Thanet CCG",
            "published_day": "2147483648",
            "published_month": "1",
            "published_year": "2018",
            "published_precision": "day",
            "quote": "Agreed.",
        },
    )

    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()


def test_the_service_refuses_a_date_out_of_range(kent_medway, admin):
    from django.core.exceptions import ValidationError

    from records.models import Source
    from scrutiny.services import scrutiny_meeting_record

    with pytest.raises(ValidationError):
        scrutiny_meeting_record(
            commissioner=story(),
            committee="HOSC",
            date=datetime.date(1066, 10, 14),
            cancelled=False,
            item="Hastings",
            sources=[Source.objects.get(key="003")],
            reason="Test",
            user=admin,
        )
