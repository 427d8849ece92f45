"""The Atom feed of changes to the record."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.django_db


def test_the_feed_is_atom_newest_change_first(
    client, scrutineer, kent_medway, django_assert_num_queries
):
    client.force_login(scrutineer)

    # session, user, groups (a role is required), savepoint, events (with their CCG), their
    # sources, release.
    with django_assert_num_queries(7):
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
    assert "meeting held" in first.find(f"{ATOM}title").text
    assert "Health Overview and Scrutiny Committee" in first.find(f"{ATOM}summary").text
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("http://testserver/timeline/?after=") for i in ids)
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

    timeline_add(
        kind=EventKind.SOURCE_PUBLISHED,
        date=datetime.date(2018, 5, 1),
        title="A paper",
        detail="<img src=x onerror=alert(1)>",
    )
    client.force_login(scrutineer)

    body = client.get("/timeline/feed/").content.decode()

    assert 'type="html"' not in body
    assert re.search(r'<summary type="text">[^<]*&lt;img src=x onerror=alert\(1\)&gt;', body)
