"""The dashboard's "N of M posts filled" line, from roles.selectors.posts_filled."""

import pytest

from roles.selectors import posts_filled
from tests.conftest import day

pytestmark = pytest.mark.django_db


def test_posts_filled_counts_seats_of_the_proposed_structure(kent_medway):
    assert posts_filled(day("2018-03-13")) == (5, 9)
    assert posts_filled(day("2018-02-28")) == (4, 9)


def test_posts_filled_as_recorded_on_a_day(kent_medway):
    # On 5 March the record learnt of Hazel Smith's transitional role (the undated March
    # article, public by its update of 5 March); the others came with the committee paper.
    assert posts_filled(day("2018-03-13"), day("2018-03-04")) == (0, 9)
    assert posts_filled(day("2018-03-13"), day("2018-03-05")) == (1, 9)


def test_the_dashboard_shows_the_count_and_links_to_the_team_on_that_day(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    now = client.get("/", {"as_at": "2018-03-13"}).content.decode()
    then = client.get("/", {"as_at": "2018-03-13", "known_at": "2018-03-05"}).content.decode()

    assert "<strong>5 of 9 posts filled</strong>" in now
    assert "<strong>1 of 9 posts filled</strong>" in then
    assert "/team/?as_at=2018-03-13&amp;known_at=2018-03-05" in then
