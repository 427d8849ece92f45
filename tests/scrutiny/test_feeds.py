"""The Atom feed of changes to the record."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from decisions.models import Membership
from decisions.services import decision_correct, decision_record
from records.models import Source

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


def test_the_feed_is_atom_newest_change_first(
    client, scrutineer, kent_medway, django_assert_num_queries
):
    client.force_login(scrutineer)

    # session, user, groups (a role is required), savepoint, events (with their CCG), their
    # sources, the corrections (none: no query for the events they correct), release.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(9):
        response = client.get(reverse("scrutiny:feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text.startswith("Kent and Medway strategic commissioner")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 50
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)
    # The latest change the record learnt of: the 27 April HOSC meeting (003).
    first = entries[0]
    assert "27 April 2018" in first.find(f"{ATOM}title").text
    assert "Committee meeting: " in first.find(f"{ATOM}title").text
    assert "Health Overview and Scrutiny Committee" in first.find(f"{ATOM}summary").text
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:kmcommission.invalid,2018:event/") for i in ids)
    # Each entry's link opens the timeline with that event at the top.
    link = entries[5].find(f"{ATOM}link").get("href")
    opened = client.get(link)
    first = opened.context["page"].events[0]
    assert link.endswith(f"#event-{first.pk}")
    assert first.title in entries[5].find(f"{ATOM}title").text


def test_the_feed_needs_a_login(client, kent_medway):
    response = client.get(reverse("scrutiny:feed"))

    assert response.status_code == 302


def test_user_text_reaches_feed_readers_as_plain_text_not_html(client, kent_medway, scrutineer):
    import re

    from records.models import EventKind
    from records.services import timeline_add
    from tests.factories import story

    timeline_add(
        commissioner=story(),
        kind=EventKind.SOURCE_PUBLISHED,
        date=datetime.date(2018, 5, 1),
        title="A paper",
        detail="<img src=x onerror=alert(1)>",
    )
    client.force_login(scrutineer)

    body = client.get("/timeline/feed/").content.decode()

    assert 'type="html"' not in body
    assert re.search(r'<summary type="text">[^<]*&lt;img src=x onerror=alert\(1\)&gt;', body)


SKC_JOINED_RECORDED = datetime.datetime(2018, 5, 2, 10, tzinfo=datetime.UTC)


@pytest.fixture
def skc_joined_1_may(kent_medway, staff):
    """South Kent Coast's joining, recorded on 2 May 2018 with effect from 1 May."""
    membership = Membership.objects.get(ccg__slug="south-kent-coast")
    return decision_record(
        ccg=membership.ccg,
        commissioner=membership.commissioner,
        body="gp_membership",
        outcome="agreed",
        meeting_date=datetime.date(2018, 4, 30),
        effective_date=datetime.date(2018, 5, 1),
        summary="The GP members agreed to join.",
        sources=[Source.objects.get(key="003")],
        reason="GP membership meeting outcome reported by the CCG",
        user=staff,
        recorded_at=SKC_JOINED_RECORDED,
    )


def read_feed(client, **headers):
    response = client.get(reverse("scrutiny:feed"), **headers)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def test_a_feed_reader_shows_a_corrected_decision_once_with_its_new_date(
    client, scrutineer, staff, skc_joined_1_may, django_assert_num_queries
):
    client.force_login(scrutineer)
    before = read_feed(client)
    reader = {entry.id: entry for entry in before.entries}
    joined = next(e for e in before.entries if e.title.startswith("30 April 2018: South Kent"))

    decision_correct(
        decision=skc_joined_1_may,
        body="gp_membership",
        outcome="agreed",
        meeting_date=datetime.date(2018, 4, 30),
        effective_date=datetime.date(2018, 6, 1),
        summary="The GP members agreed to join from 1 June.",
        sources=[Source.objects.get(key="003")],
        reason="The CCG wrote: the joining took effect on 1 June, not 1 May",
        user=staff,
    )
    # session, user, groups, savepoint, events, sources, the corrections, the events of
    # the decisions they correct, release: the same however many corrections there are.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(10):
        after = read_feed(client)
    reader.update((entry.id, entry) for entry in after.entries)

    # The feed reader keeps what it had and updates the corrected entries in place.
    assert {e.id for e in after.entries} == {e.id for e in before.entries}
    assert len(reader) == len(before.entries) == len(after.entries) == 50
    corrected = reader[joined.id]
    assert "decision corrected" in corrected.title
    assert "1 June" in corrected.summary
    assert corrected.updated_parsed > joined.updated_parsed
    assert corrected.published == joined.published
    statuses = [e for e in reader.values() if "South Kent Coast: membership status" in e.title]
    assert len(statuses) == len({e.id for e in statuses})
    assert any(e.title.startswith("1 June 2018") for e in statuses)
    assert not any(e.title.startswith("1 May 2018: South Kent") for e in reader.values())


def test_feed_and_entry_ids_do_not_depend_on_the_host_name(
    client, scrutineer, kent_medway, settings
):
    settings.SITE_DOMAIN = "tracker.example.org"
    client.force_login(scrutineer)

    under_localhost = read_feed(client, HTTP_HOST="localhost")
    under_ip = read_feed(client, HTTP_HOST="127.0.0.1")

    assert (
        under_localhost.feed.id == under_ip.feed.id == "tag:tracker.example.org,2018:feed/changes"
    )
    ids = [entry.id for entry in under_localhost.entries]
    assert ids == [entry.id for entry in under_ip.entries]
    assert all(i.startswith("tag:tracker.example.org,2018:event/") for i in ids)
    assert under_localhost.entries[0].link.startswith("http://localhost/timeline/")


def test_the_feed_carries_what_staff_typed_as_text(client, scrutineer, kent_medway):
    client.force_login(scrutineer)

    feed = read_feed(client)

    assert {entry.summary_detail.type for entry in feed.entries} == {"text/plain"}
    assert {entry.title_detail.type for entry in feed.entries} == {"text/plain"}
