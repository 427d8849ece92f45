"""The benchmark's generated national record has the shapes the pages are measured on."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ccgs.models import CCG
from decisions.models import Decision, Membership
from records.models import TimelineEvent

pytestmark = pytest.mark.django_db


def test_a_small_synthetic_record_is_added_beside_the_story_and_every_page_reads_it(
    client, kent_medway, scrutineer
):
    call_command(
        "generate_synthetic",
        "--ccgs=6",
        "--decisions=3",
        "--history-rows=60",
        "--heavy=20",
        "--events=500",
        stdout=io.StringIO(),
    )

    heavy = CCG.objects.get(slug="synthetic-ccg-0000")
    assert CCG.objects.filter(slug__startswith="synthetic-").count() == 6
    assert Decision.objects.filter(ccg=heavy).count() == 20
    assert Membership.objects.get(ccg=heavy).history.count() == 20
    assert TimelineEvent.objects.filter(title__startswith="Synthetic event").count() == 500
    client.force_login(scrutineer)
    for url in ["/", reverse("scrutiny:ccg", args=[heavy.slug]), "/chart/", "/briefing/"]:
        assert client.get(url).status_code == 200, url
