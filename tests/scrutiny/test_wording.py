"""Words a first-time reader trips over (issue 12, item 6): each page reads as a sentence."""

import re

import pytest
from django.urls import reverse

from records.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db


def text(response):
    """The page's words, tags and runs of spaces taken out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_status_known_only_by_a_date_reads_by_not_since_by(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    dashboard = text(client.get(reverse("dashboard"), {"as_at": "2018-03-13"}))
    as_at = text(client.get(reverse("scrutiny:as-at"), {"as_at": "2018-03-13"}))

    assert "since by" not in dashboard.lower() and "since by" not in as_at.lower()
    assert "By 27 February 2018" in dashboard  # under "In effect"
    assert "Joined by 27 February 2018" in as_at


def test_gp_membership_keeps_its_capitals_in_timeline_titles(kent_medway):
    titles = list(TimelineEvent.objects.values_list("title", flat=True))

    assert not [title for title in titles if "gp membership" in title]
    assert any("(GP membership)" in title for title in titles)


def test_an_announcement_noted_is_not_described_as_a_non_change(kent_medway):
    """The 12 March announcement (a new accountable officer) is noted, not a membership
    decision: its line says what it was."""
    titles = TimelineEvent.objects.filter(kind=EventKind.DECISION).values_list("title", flat=True)

    assert not [title for title in titles if "no change to membership" in title]
    assert any("Glenn Douglas as the new accountable officer" in title for title in titles)


def test_the_header_names_the_user_then_the_role_without_nested_brackets(client, scrutineer):
    scrutineer.first_name, scrutineer.last_name = "Sandy", "Scrutiny (demo)"
    scrutineer.save()
    client.force_login(scrutineer)

    page = text(client.get(reverse("dashboard")))

    assert "Sandy Scrutiny (demo) — Scrutiny (read only)" in page
    assert "((" not in page and "))" not in page


@pytest.mark.parametrize("url", ["/", "/as-at/", "/timeline/"])
def test_as_recorded_on_is_explained_in_plain_words(client, kent_medway, scrutineer, url):
    client.force_login(scrutineer)

    page = text(client.get(url))

    assert "What this record said at the end of that day, before any later corrections" in page
    assert "audit history" not in page
