import datetime

import pytest
from django.urls import reverse

from ccgs.models import CCG
from decisions import services
from decisions.models import Membership
from decisions.selectors import DECISIONS_SHOWN, HISTORY_PAGE
from records.history import save_with_history
from records.models import Source
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add_noted_decisions(slug, count, user=None):
    """More decisions and history rows for one CCG, as a longer record would have."""
    membership = Membership.objects.get(ccg__slug=slug)
    user = user or UserFactory()
    source = Source.objects.get(key="003")
    for n in range(count):
        services.decision_record(
            ccg=membership.ccg,
            body="governing_body",
            outcome="agreed",
            meeting_date=datetime.date(2018, 5, 1) + datetime.timedelta(days=n),
            effective_date=datetime.date(2018, 5, 1) + datetime.timedelta(days=n),
            summary="Agreed again.",
            sources=[source],
            reason=f"Test change {n}",
            user=user,
        )


def test_the_dashboard_counts_seven_of_eight_joined_and_groups_ccgs_by_locality(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "7 of 8 CCGs have joined" in page
    groups = [group.group.name for group in response.context["groups"]]
    assert groups == ["Medway, North and West Kent", "East Kent"]
    east_kent = [state.ccg.name for state in response.context["groups"][1].states]
    assert east_kent == ["Ashford", "Canterbury and Coastal", "South Kent Coast", "Thanet"]


def test_the_dashboard_shows_fuzzy_dates_as_the_sources_give_them(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    page = client.get(reverse("dashboard")).content.decode()

    # Ashford agreed "by 27 February" (the STP's update): never shown as the day itself.
    assert "By 27 February 2018" in page
    assert page.count("27 February 2018") == page.lower().count("by 27 february 2018")
    # West Kent's board met on an undated Monday (KentOnline): no January date is made up.
    assert "January 2018" not in page
    # South Kent Coast's decision is expected on 19 April; the record says so.
    assert "19 April 2018" in page


def test_the_dashboard_flags_a_pending_membership_past_its_review_date(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    response = client.get(reverse("dashboard"))

    overdue = [
        state.ccg.name
        for group in response.context["groups"]
        for state in group.states
        if state.overdue
    ]
    assert overdue == ["South Kent Coast"]
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Overdue for review</strong>' in (
        response.content.decode()
    )


def test_a_ccg_without_a_locality_group_is_listed_apart(client, kent_medway, scrutineer):
    swale = CCG.objects.get(slug="swale")
    swale.locality_group = None
    save_with_history(swale, user=scrutineer, reason="Locality group not yet known")
    client.force_login(scrutineer)

    response = client.get(reverse("dashboard"))

    last = response.context["groups"][-1]
    assert last.group is None
    assert [state.ccg.name for state in last.states] == ["Swale"]
    assert "CCGs in no locality group" in response.content.decode()


def test_the_dashboard_in_effect_on_13_march_2018_has_five_joined(client, kent_medway, scrutineer):
    """13 March: the five 002 named plus West Kent; Thanet out, South Kent Coast pending."""
    client.force_login(scrutineer)

    response = client.get(reverse("dashboard"), {"as_at": "2018-03-13"})

    states = {s.ccg.slug: s.status for g in response.context["groups"] for s in g.states}
    assert states["thanet"] == "opted_out"
    assert states["south-kent-coast"] == "pending"
    assert "6 of 8 CCGs have joined" in response.content.decode()


def test_as_recorded_on_1_march_2018_differs_from_in_effect_on_it(client, kent_medway, scrutineer):
    """Thanet's joining on 19 March was recorded only on 27 April (003)."""
    client.force_login(scrutineer)

    now = client.get(reverse("dashboard"), {"as_at": "2018-03-20"})
    then = client.get(reverse("dashboard"), {"as_at": "2018-03-20", "known_at": "2018-03-01"})

    def thanet(response):
        return next(
            s for g in response.context["groups"] for s in g.states if s.ccg.slug == "thanet"
        )

    assert thanet(now).status == "joined"
    assert thanet(then).status == "opted_out"
    assert "as the record stood at the end of <strong>1 March 2018</strong>" in (
        then.content.decode()
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_at": "13/03/2018"}, "in effect on\u2019 date must be a date written YYYY-MM-DD"),
        ({"known_at": "yesterday"}, "as recorded on\u2019 date must be a date written YYYY-MM-DD"),
    ],
)
def test_a_bad_date_on_the_dashboard_is_explained_not_an_error_page(
    client, kent_medway, scrutineer, params, message
):
    client.force_login(scrutineer)

    response = client.get(reverse("dashboard"), params)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    # It still shows today's record rather than nothing.
    assert "7 of 8 CCGs have joined" in page


def test_the_dashboard_query_count_does_not_grow_with_the_record(
    client, kent_medway, scrutineer, django_assert_num_queries
):
    client.force_login(scrutineer)
    client.get(reverse("dashboard"))  # warm the session
    # session, user, user's groups (role in the header), CCGs, the Membership rows with
    # their decisions (today nothing in the log is still to come, so the log is not read)
    # and their sources; the shared team's posts filled (one); the latest membership and assignment
    # history rows ("Last changed ... by"); the request's savepoint and release.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(12):
        client.get(reverse("dashboard"))

    add_noted_decisions("thanet", 3)
    with django_assert_num_queries(12):
        client.get(reverse("dashboard"))


def test_the_dashboard_as_recorded_on_a_date_costs_a_fixed_number_of_queries(
    client, kent_medway, scrutineer, django_assert_num_queries
):
    client.force_login(scrutineer)
    url = "/?as_at=2018-03-13&known_at=2018-03-01"
    client.get(url)  # warm the session
    # As today’s dashboard (13), but posts filled are counted from the team as recorded then:
    # its posts, assignment history rows, their sources and the CCGs, instead of one count.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_the_ccg_page_shows_status_records_sources_officers_and_history(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    response = client.get(reverse("scrutiny:ccg", args=["thanet"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Thanet CCG" in page
    assert "Joined" in page
    assert "19 March 2018" in page
    # Both decisions, with their sources and quoted passages.
    assert "Decided not to join" in page
    assert "Agreed to join" in page
    assert "not pursuing a path to be a part of formal arrangements" in page
    assert "The paper does not say which body decided." in page
    # Hazel Smith was accountable officer until 28 February (the March article's update).
    assert "Hazel Smith" in page
    assert "28 February 2018" in page
    # The audit history: who, why, and old -> new status.
    history = response.context["history"]
    latest = history[0]
    assert latest.why == "Committee paper of April 2018: Thanet joined on 19 March"
    assert latest.who == "Demo data (from the 2018 sources)"
    status_change = next(change for change in latest.changes if change.label == "Status")
    assert (status_change.old, status_change.new) == ("Opted out", "Joined")
    assert history[-1].kind == "Created"


def test_the_ccg_page_lists_accountable_officers_in_order_of_time(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    response = client.get(reverse("scrutiny:ccg", args=["ashford"]))

    officers = [a.person.name for a in response.context["officers"]]
    assert officers == ["Simon Perks", "Glenn Douglas"]
    assert response.context["officers"][0].end == datetime.date(2018, 3, 12)


def test_only_staff_see_the_record_a_decision_button(client, kent_medway, scrutineer, staff):
    url = reverse("scrutiny:ccg", args=["south-kent-coast"])
    form_url = reverse("decisions:record", args=["south-kent-coast"])

    client.force_login(scrutineer)
    assert form_url not in client.get(url).content.decode()
    client.force_login(staff)
    assert form_url in client.get(url).content.decode()


def test_an_unknown_ccg_is_not_found(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    assert client.get(reverse("scrutiny:ccg", args=["maidstone"])).status_code == 404


def test_the_ccg_page_query_count_does_not_grow_with_its_history(
    client, kent_medway, staff, django_assert_num_queries
):
    client.force_login(staff)
    url = reverse("scrutiny:ccg", args=["thanet"])
    client.get(url)

    # session, user, groups (header); CCG, membership, the decision log (for its order),
    # the decisions shown (with who recorded and withdrew them), their sources, their
    # corrections, officers, their sources, a page of history rows with users; the sources'
    # words about the CCG (1), where they disagree and the claims (2); user and group
    # permissions (the edit button); the request's savepoint and release.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(20):
        client.get(url)

    # More decisions and history rows than a page shows: a page of each, and one query for the
    # decisions the history page names beyond those listed, however many there are.
    add_noted_decisions("thanet", 55, user=staff)
    with django_assert_num_queries(21):
        response = client.get(url)
    assert len(response.context["decisions"]) == DECISIONS_SHOWN
    # Thanet's two decisions and 55 more
    assert response.context["earlier_decisions"] == 57 - DECISIONS_SHOWN
    assert len(response.context["history"]) == HISTORY_PAGE
    assert "Earlier changes" in response.content.decode()


def test_the_audit_history_pages_back_to_the_first_change_newest_first(client, kent_medway, staff):
    added = HISTORY_PAGE + 2
    add_noted_decisions("thanet", added, user=staff)
    client.force_login(staff)
    url = reverse("scrutiny:ccg", args=["thanet"])

    first = client.get(url)
    second = client.get(url, {"history_before": first.context["history_earlier"]})

    newest = first.context["history"]
    rest = second.context["history"]
    assert [entry.why for entry in newest[:2]] == [
        f"Test change {added - 1}",
        f"Test change {added - 2}",
    ]
    assert len(newest) + len(rest) == added + 3  # added to the story's three
    assert rest[-1].kind == "Created"
    assert second.context["history_earlier"] is None
    # The oldest row of the first page still shows what it changed from the row before.
    assert newest[-1].changes or newest[-1].kind == "Changed"


def test_a_history_cursor_that_is_not_a_number_shows_the_first_page(client, kent_medway, staff):
    client.force_login(staff)

    response = client.get(reverse("scrutiny:ccg", args=["thanet"]), {"history_before": "x' OR 1"})

    assert response.status_code == 200
    assert response.context["history"][-1].kind == "Created"


def test_the_thanet_page_shows_both_sides_of_the_seven_ccgs_claim(client, kent_medway, scrutineer):
    client.force_login(scrutineer)

    page = client.get(reverse("scrutiny:ccg", args=["thanet"])).content.decode()

    conflict = page[page.index('data-testid="conflicts"') :]
    assert "The sources disagree" in page
    assert "seven of the eight CCGs have committed" in conflict
    assert "Thanet CCG joined shortly after on 19 March." in conflict
    assert "Thanet CCG are not pursuing a path to be a part of formal arrangements" in conflict
    assert "Kent and Medway Strategic Commissioner Update February 2018" in conflict
    # The record's own summary is set apart from the sources' words.
    assert 'class="nhsuk-body-s app-record-note"><strong>This record' in page
    # And Thanet's own statement, with who made it.
    assert "Thanet CCG, in a statement reported by the trade press" in page


def test_the_south_kent_coast_page_marks_the_conflict_over_hazel_smith(
    client, kent_medway, scrutineer
):
    client.force_login(scrutineer)

    page = client.get(reverse("scrutiny:ccg", args=["south-kent-coast"])).content.decode()

    assert "The sources disagree" in page
    assert "she remains as accountable officer for South Kent Coast CCG" in page
    assert "Previously accountable officer for […] South Kent Coast CCG, Thanet CCG" in page
