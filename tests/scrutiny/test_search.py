"""Finding things (issue 12, item 7): search across the record, help, the accessibility
statement, the footer, and who last changed the dashboard's record."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from records.history import save_with_history
from roles.models import Assignment

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def signed_in(client, scrutineer):
    client.force_login(scrutineer)
    return client


def test_a_name_finds_the_person_their_posts_and_the_decisions_and_sources_naming_them(
    signed_in, kent_medway
):
    response = signed_in.get(reverse("scrutiny:search"), {"q": "glenn douglas"})

    results = response.context["results"]
    assert [person.name for person in results.people] == ["Glenn Douglas"]
    assert any("Glenn Douglas" in decision.summary for decision in results.decisions)
    assert any("Glenn Douglas" in source.quote for source in results.sources)
    page = text(response)
    assert "Glenn Douglas" in page and "result" in page


def test_part_of_a_ccg_name_finds_its_page_and_its_posts(signed_in, kent_medway):
    response = signed_in.get(reverse("scrutiny:search"), {"q": "than"})

    results = response.context["results"]
    assert [ccg.name for ccg in results.ccgs] == ["Thanet"]
    assert 'href="/ccgs/thanet/"' in response.content.decode()
    assert any(post.ccg and post.ccg.name == "Thanet" for post in results.posts)


def test_nothing_found_says_so_and_what_to_try(signed_in, kent_medway):
    page = text(signed_in.get(reverse("scrutiny:search"), {"q": "zebra crossing"}))

    assert "No results for ‘zebra crossing’" in page
    assert "try fewer or shorter words" in page


@pytest.mark.parametrize("query", ["", "a", " " * 5, "x" * 5000, "%_\\'\"<script>"])
def test_odd_queries_get_a_page_not_an_error(signed_in, kent_medway, query):
    response = signed_in.get(reverse("scrutiny:search"), {"q": query})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_search_costs_a_fixed_number_of_queries(signed_in, kent_medway, django_assert_num_queries):
    signed_in.get(reverse("scrutiny:search"), {"q": "douglas"})

    # The request's 5; the arrangements (the search is one arrangement's: one more since posts
    # belong to one); CCGs; people, their assignments with their posts joined (one fewer:
    # the posts were a query of their own); posts; decisions; sources.
    with django_assert_num_queries(12):
        response = signed_in.get(reverse("scrutiny:search"), {"q": "douglas"})
    assert response.context["results"].people
    with django_assert_num_queries(6):  # the request's 5 and the arrangements
        signed_in.get(reverse("scrutiny:search"))


def test_the_header_links_to_search_and_help(signed_in, kent_medway):
    page = signed_in.get(reverse("dashboard")).content.decode()

    assert re.search(r'href="/search/"[^>]*>(<strong[^>]*>)?Search<', page)
    assert re.search(r'href="/help/"[^>]*>(<strong[^>]*>)?Help<', page)


def test_help_says_what_each_page_answers_and_explains_the_words(signed_in, kent_medway):
    page = text(signed_in.get(reverse("scrutiny:help")))

    for name in ("Dashboard", "Timeline", "Membership chart", "Briefing", "Team", "Search"):
        assert name in page
    for term in (
        "CCG",
        "STP",
        "HOSC",
        "Accountable officer",
        "Governing body",
        "GP membership",
        "Considering",
        "Pending",
        "Opted out",
        "Joined",
        "“by” dates",
        "In effect on",
        "As recorded on",
    ):
        assert f" {term} " in page, term


def test_help_costs_only_the_request(signed_in, django_assert_num_queries):
    # The request's queries, and one to list the arrangements so that its links keep one.
    with django_assert_num_queries(6):
        signed_in.get(reverse("scrutiny:help"))


@override_settings(SITE_CONTACT="the programme office, 01632 960000")
def test_every_page_has_the_footer_with_the_contact_from_settings(signed_in, kent_medway):
    page = signed_in.get(reverse("scrutiny:timeline")).content.decode()

    assert 'href="/accessibility/"' in page and 'href="/help/"' in page
    assert "Contact: the programme office, 01632 960000" in page


def test_the_accessibility_statement_is_open_to_anyone(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # the request's savepoint and its release
        response = client.get(reverse("scrutiny:accessibility"))

    assert response.status_code == 200
    page = text(response)
    assert "Accessibility statement" in page and "WCAG 2.2" in page


def test_the_dashboard_says_when_its_record_last_changed_and_by_whom(signed_in, kent_medway, staff):
    page = text(signed_in.get(reverse("dashboard")))
    assert re.search(r"Last changed \d{1,2} \w+ 2018 by Demo data", page), page[:600]

    staff.first_name, staff.last_name = "Pat", "Staff"
    staff.save()
    thanet = Assignment.objects.filter(post__ccg__name="Thanet").first()
    save_with_history(thanet, user=staff, reason="Checked against the minutes")

    page = text(signed_in.get(reverse("dashboard")))
    assert "by Pat Staff" in page
    # As recorded on a day in 2018, the change made today is not yet there.
    page = text(signed_in.get(reverse("dashboard"), {"known_at": "2018-03-13"}))
    assert "by Pat Staff" not in page and "Last changed" in page
