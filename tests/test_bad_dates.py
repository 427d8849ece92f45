"""Every page that reads a date from its address explains a bad one and shows nothing false."""

import pytest

pytestmark = pytest.mark.django_db

# Page -> the date parameters it reads. The dashboard shows today's record with
# the message; every other page answers 400 with it.
PAGES = {
    "/": ["as_at", "known_at"],
    "/api/membership/": ["as_at", "known_at"],
    "/timeline/": ["date_from", "date_to", "known_at", "recorded_since"],
    "/api/timeline/": ["date_from", "date_to", "known_at", "recorded_since"],
    "/as-at/": ["as_at", "known_at"],
    "/chart/": ["as_at"],
    "/briefing/": ["as_at", "since", "known_at"],
    "/team/": ["as_at", "known_at"],
    "/functions/": ["as_at", "known_at"],
}
CASES = [(page, name) for page, names in PAGES.items() for name in names]


@pytest.mark.parametrize(("page", "name"), CASES)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9999-12-31", "between 1900 and 2100"),
        ("2018-02-30", "must be a real day: 30 February 2018 does not exist"),
        ("13 March", "YYYY-MM-DD"),
    ],
)
def test_a_bad_date_is_explained(client, kent_medway, scrutineer, page, name, value, message):
    client.force_login(scrutineer)

    response = client.get(page, {name: value})

    assert response.status_code == (200 if page == "/" else 400)
    assert message in response.content.decode()
