import datetime

import pytest
from django.core.exceptions import ValidationError

from scrutiny.models import ScrutinyMeeting
from scrutiny.services import scrutiny_meeting_record
from tests.factories import CommissionerFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_without_a_source_is_refused_and_nothing_is_written(admin):
    before = ScrutinyMeeting.objects.count()

    with pytest.raises(ValidationError) as refused:
        scrutiny_meeting_record(
            commissioner=CommissionerFactory(),
            committee="Kent and Medway HOSC",
            date=datetime.date(2018, 6, 1),
            cancelled=False,
            item="Strategic commissioner update",
            sources=[],
            reason="From the council's committee pages",
            user=admin,
        )

    assert refused.value.message_dict == {"sources": ["Cite at least one source."]}
    assert ScrutinyMeeting.objects.count() == before


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field", "message"),
    [
        (None, datetime.time(12), "starts_at", "Give the start time as well as the end time."),
        (
            datetime.time(12),
            datetime.time(10),
            "ends_at",
            "The end time must be after the start time.",
        ),
    ],
)
def test_a_meeting_ending_before_it_starts_is_refused(
    admin, kent_medway, starts_at, ends_at, field, message
):
    from records.models import Source

    before = ScrutinyMeeting.objects.count()

    with pytest.raises(ValidationError) as refused:
        scrutiny_meeting_record(
            commissioner=CommissionerFactory(),
            committee="Kent and Medway HOSC",
            date=datetime.date(2018, 6, 1),
            starts_at=starts_at,
            ends_at=ends_at,
            cancelled=False,
            item="Strategic commissioner update",
            sources=[Source.objects.get(key="003")],
            reason="From the council's committee pages",
            user=admin,
        )

    assert refused.value.message_dict == {field: [message]}
    assert ScrutinyMeeting.objects.count() == before
