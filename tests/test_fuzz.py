"""Property test: arbitrary text, dates and numbers in any query parameter of any page are
answered with a page or a 4xx, never a server error, and change nothing."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decisions.models import Decision
from records.models import TimelineEvent

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
    "/ccgs/thanet/",
]
PARAMETERS = [
    "as_at",
    "known_at",
    "since",
    "date_from",
    "date_to",
    "recorded_since",
    "kind",
    "ccg",
    "locality",
    "after",
    "before",
    "format",
]
values = st.one_of(
    st.text(max_size=40),
    st.dates().map(str),
    st.integers().map(str),
    st.sampled_from(
        ["2018-02-30", "9999-12-31", "0001-01-01", "2018-03-13,1", "csv", "xlsx", "\x00"]
    ),
)


@pytest.fixture
def reader(kent_medway, scrutineer):
    client = Client(raise_request_exception=False)
    client.force_login(scrutineer)
    return client


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.sampled_from(PAGES),
    params=st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=4),
)
def test_no_query_string_makes_any_page_fail(reader, page, params):
    before = (Decision.objects.count(), TimelineEvent.objects.count())

    response = reader.get(page, params)
    if response.streaming:  # a download fails, if it does, as it is sent
        b"".join(response.streaming_content)

    assert response.status_code < 500, (page, params)
    assert (Decision.objects.count(), TimelineEvent.objects.count()) == before


FORMS = {
    "/sources/new/": [
        "title",
        "publisher",
        "published_day",
        "published_month",
        "published_year",
        "published_precision",
        "url",
        "quote",
    ],
    "/ccgs/south-kent-coast/decisions/new/": [
        "body",
        "outcome",
        "meeting_date_day",
        "meeting_date_month",
        "meeting_date_year",
        "meeting_date_precision",
        "effective_date_day",
        "effective_date_year",
        "summary",
        "source",
        "reason",
        "version",
    ],
    "/functions/add/": ["name", "level", "since_day", "since_year", "placed_by", "sources"],
}


@pytest.fixture
def writer(kent_medway, staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), page=st.sampled_from(sorted(FORMS)))
def test_no_form_input_makes_a_staff_page_fail(writer, data, page):
    fields = data.draw(st.dictionaries(st.sampled_from(FORMS[page]), values, max_size=8))

    response = writer.post(page, fields)

    assert response.status_code < 500, (page, fields)
