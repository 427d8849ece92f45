"""The dashboard's "N of M posts filled" line."""

import pytest
from django.template import Context, Template

from tests.conftest import day

pytestmark = pytest.mark.django_db


def render(**context):
    template = Template("{% load roles_tags %}{% posts_filled as_at known_at %}")
    return template.render(Context(context))


def test_posts_filled_counts_seats_of_the_proposed_structure(kent_medway):
    assert "<strong>5 of 9 posts filled</strong>" in render(as_at=day("2018-03-13"), known_at=None)
    assert "<strong>4 of 9 posts filled</strong>" in render(as_at=day("2018-02-28"), known_at=None)


def test_posts_filled_as_recorded_on_a_day(kent_medway):
    # On 1 March the record knew only of Hazel Smith's transitional role (000, 28 February);
    # the others came with 003 on 27 April.
    html = render(as_at=day("2018-03-13"), known_at=day("2018-03-01"))

    assert "<strong>1 of 9 posts filled</strong>" in html
    assert "/team/?as_at=2018-03-13&amp;known_at=2018-03-01" in html


def test_the_dashboard_shows_the_count(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    response = client.get("/", {"as_at": "2018-03-13"})

    assert "<strong>5 of 9 posts filled</strong>" in response.content.decode()
