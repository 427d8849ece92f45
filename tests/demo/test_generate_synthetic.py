"""The benchmark's generated national record has the shapes the pages are measured on."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ccgs.models import CCG, Commissioner
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
        "--partnerships=3",
        "--first-size=4",
        stdout=io.StringIO(),
    )

    heavy = CCG.objects.get(slug="synthetic-ccg-0000")
    assert CCG.objects.filter(slug__startswith="synthetic-").count() == 6
    assert Decision.objects.filter(ccg=heavy).count() == 20
    assert Membership.objects.get(ccg=heavy).history.count() == 20
    assert TimelineEvent.objects.filter(title__startswith="Synthetic event").count() == 500
    # Each partnership is its own arrangement, as each STP was; the heavy CCG is in the first.
    members = {
        arrangement.slug: sorted(arrangement.memberships.values_list("ccg__slug", flat=True))
        for arrangement in Commissioner.objects.filter(slug__startswith="synthetic-")
    }
    assert members == {
        "synthetic-partnership-00": [f"synthetic-ccg-000{n}" for n in range(4)],
        "synthetic-partnership-01": ["synthetic-ccg-0004"],
        "synthetic-partnership-02": ["synthetic-ccg-0005"],
    }
    assert Membership.objects.filter(ccg__slug__startswith="synthetic-").count() == 6
    client.force_login(scrutineer)
    first = {"arrangement": "synthetic-partnership-00"}
    for url in ["/", reverse("scrutiny:ccg", args=[heavy.slug]), "/chart/", "/briefing/"]:
        assert client.get(url, first).status_code == 200, url
    dashboard = client.get("/", first).content.decode()
    assert "Synthetic CCG 0003" in dashboard and "Synthetic CCG 0004" not in dashboard
