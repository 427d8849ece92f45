import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/api/membership/",
    "/timeline/",
    "/api/timeline/",
    "/as-at/",
    "/chart/",
    "/briefing/",
    "/team/",
    "/functions/",
    "/calendar.ics",
    "/timeline/feed/",
]
DATE_PARAMETERS = ["as_at", "known_at", "since", "from", "to", "recorded_after"]
BAD_VALUES = ["9999-12-31", "0001-01-01", "2018-02-30", "13/03/2018", "'; drop table"]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_fails_on_a_bad_or_extreme_date(client, kent_medway, scrutineer, page):
    client.force_login(scrutineer)
    for parameter in DATE_PARAMETERS:
        for value in BAD_VALUES:
            response = client.get(page, {parameter: value})
            assert response.status_code < 500, f"{page}?{parameter}={value}"
