import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision, Membership
from records.models import Source
from tests.decisions.date_boxes import date_boxes, with_dates

pytestmark = pytest.mark.django_db


def form_url(slug="south-kent-coast"):
    return reverse("decisions:record", args=[slug])


def membership(slug="south-kent-coast"):
    return Membership.objects.get(ccg__slug=slug)


def joining(slug="south-kent-coast", **overrides):
    """What a staff user types to record South Kent Coast joining in late April 2018."""
    data = {
        "body": "gp_membership",
        "outcome": "agreed",
        "meeting_date": "2018-04-30",
        "meeting_date_precision": "on_or_before",
        "effective_date": "2018-04-30",
        "effective_date_precision": "on_or_before",
        "expected_date": "",
        "expected_date_precision": "day",
        "review_by": "",
        "summary": "The GP members agreed to join the strategic commissioner.",
        "data_entry_note": "",
        "source": str(Source.objects.get(key="003").pk),
        "new_source_title": "",
        "new_source_publisher": "",
        "new_source_published": "",
        "new_source_published_precision": "day",
        "new_source_url": "",
        "new_source_quote": "",
        "reason": "GP membership meeting outcome reported by the CCG",
        "version": str(membership(slug).version),
    }
    data.update(overrides)
    return with_dates(data)


def record_counts():
    return (
        Decision.objects.count(),
        Decision.history.count(),
        Membership.history.count(),
        Source.objects.count(),
    )


def test_staff_open_the_form_at_the_membership_version(client, kent_medway, staff):
    client.force_login(staff)

    response = client.get(form_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Record a decision" in page
    assert f'name="version" value="{membership().version}"' in page


def test_the_form_page_costs_a_fixed_number_of_queries(
    client, kent_medway, staff, django_assert_num_queries
):
    client.force_login(staff)
    client.get(form_url())

    # session, user, the add_decision permission (user's and groups'), CCG, membership,
    # the sources to choose from, groups (header); the request's savepoint and release.
    # One more: the arrangements, so that the menu and the back link keep the one shown.
    with django_assert_num_queries(11):
        client.get(form_url())


def test_recording_south_kent_coasts_joining_moves_it_to_joined_and_confirms(
    client, kent_medway, staff
):
    client.force_login(staff)
    before = record_counts()

    response = client.post(form_url(), joining())

    decision = Decision.objects.latest("recorded_at")
    assert response.status_code == 302
    assert response.url == reverse("decisions:recorded", args=[decision.pk])
    assert record_counts() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3])
    updated = membership()
    assert updated.status == "joined"
    assert updated.since == datetime.date(2018, 4, 30)
    assert updated.since_display == "by 30 April 2018"
    (row,) = updated.history.filter(version=updated.version)
    assert row.history_user == staff
    assert row.history_change_reason == "GP membership meeting outcome reported by the CCG"

    confirmation = client.get(response.url).content.decode()
    assert "Decision recorded" in confirmation
    assert "membership is now <strong>Joined</strong>. In effect: by 30 April 2018." in confirmation
    assert reverse("scrutiny:ccg", args=["south-kent-coast"]) in confirmation
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "8 of 8 CCGs have joined" in dashboard


def test_the_confirmation_page_costs_a_fixed_number_of_queries(
    client, kent_medway, staff, django_assert_num_queries
):
    client.force_login(staff)
    url = client.post(form_url(), joining()).url
    client.get(url)

    # session, user, decision with its CCG, membership, groups (header); savepoint, release.
    # And the arrangements: which one it shows, and the others (one query however many).
    with django_assert_num_queries(8):
        client.get(url)


def test_a_new_source_can_be_added_inline(client, kent_medway, staff):
    client.force_login(staff)
    data = joining(
        source="",
        new_source_title="South Kent Coast CCG GP membership meeting: outcome",
        new_source_publisher="South Kent Coast CCG",
        new_source_published="2018-04-30",
        new_source_published_precision="on_or_before",
        new_source_url="https://example.org/skc-gp-meeting",
        new_source_quote="Member practices voted to join the strategic commissioner.",
    )

    response = client.post(form_url(), data)

    assert response.status_code == 302
    decision = Decision.objects.latest("recorded_at")
    (source,) = decision.sources.all()
    assert source.title == "South Kent Coast CCG GP membership meeting: outcome"
    assert source.published_display == "by 30 April 2018"
    assert source.created_by == staff


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "meeting_date_precision": "day",
                "effective_date": "2018-04-01",
                "effective_date_precision": "day",
            },
            "effective_date",
            "cannot be before the meeting date",
        ),
        (
            {"meeting_date": "2099-01-01", "meeting_date_precision": "day"},
            "meeting_date",
            "cannot have a meeting date in the future",
        ),
        ({"source": ""}, "source", "Choose a source or add a new one."),
        ({"reason": "  "}, "reason", "Give the reason for this change."),
        ({"meeting_date": "2018-04-31"}, "meeting_date", "Meeting date must be a real date"),
        (
            {"outcome": "agreed", "expected_date": "2018-05-01"},
            "expected_date",
            "Only a decision not yet taken has an expected date",
        ),
    ],
)
def test_invalid_input_is_explained_kept_and_nothing_is_saved(
    client, kent_medway, staff, overrides, field, message
):
    client.force_login(staff)
    before = record_counts()
    data = joining(**overrides)

    response = client.post(form_url(), data)

    assert response.status_code == 200
    assert record_counts() == before
    assert membership().status == "pending"
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert any(message in error for error in response.context["form"].errors[field])
    # The error summary links to the field.
    assert f'href="#id_{field}' in page
    # What the user typed is still there.
    assert "The GP members agreed to join the strategic commissioner." in page
    if data["source"]:
        assert f'value="{data["source"]}" selected' in page
    assert 'value="gp_membership" checked' in page


def test_the_form_shown_again_with_errors_costs_a_fixed_number_of_queries(
    client, kent_medway, staff, django_assert_num_queries
):
    client.force_login(staff)
    data = joining(meeting_date="2018-04-31")

    # As the empty form (10), plus checking that the chosen source exists; nothing is written.
    # One more: the arrangements, so that the menu and the back link keep the one shown.
    with django_assert_num_queries(12):
        response = client.post(form_url(), data)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_new_source_is_not_kept_when_the_decision_is_refused(client, kent_medway, staff):
    """The inline source is created first; a refused decision must take it back too."""
    client.force_login(staff)
    before = record_counts()
    data = joining(
        source="",
        new_source_title="A board paper",
        new_source_publisher="South Kent Coast CCG",
        new_source_quote="Agreed.",
        meeting_date="2099-01-01",
        meeting_date_precision="day",
    )

    response = client.post(form_url(), data)

    assert response.status_code == 200
    assert record_counts() == before
    assert not Source.objects.filter(title="A board paper").exists()
    assert 'value="A board paper"' in response.content.decode()


def test_a_deferred_decision_keeps_the_ccg_pending_with_a_new_expected_date(
    client, kent_medway, staff
):
    client.force_login(staff)
    data = joining(
        outcome="deferred",
        meeting_date="2018-04-19",
        meeting_date_precision="day",
        effective_date="",
        expected_date="2018-05-31",
        expected_date_precision="month",
    )

    response = client.post(form_url(), data)

    assert response.status_code == 302
    updated = membership()
    assert updated.status == "pending"
    assert updated.expected_decision_display == "May 2018"


def test_the_second_of_two_forms_opened_at_the_same_version_is_refused(
    client, kent_medway, staff, admin, django_assert_num_queries
):
    """Two people open Thanet's form; both submit. The second sees what changed and by whom."""
    opened_at = membership("thanet").version
    first = joining(
        "thanet",
        outcome="noted",
        effective_date="",
        summary="First: the governing body noted the shared team's progress.",
        reason="First editor's reason",
        version=str(opened_at),
    )
    second = joining(
        "thanet",
        outcome="declined",
        meeting_date="2018-04-30",
        effective_date="2018-05-01",
        effective_date_precision="day",
        summary="Second: the governing body withdrew.",
        reason="Second editor's reason",
        version=str(opened_at),
    )
    # "noted" leaves the status alone; make the first a real status change instead.
    first.update(outcome="deferred", **date_boxes("expected_date", "2018-05-31"))
    client.force_login(staff)
    assert client.post(form_url("thanet"), first).status_code == 302
    counts = record_counts()

    client.force_login(admin)
    # Request (7), CCG, membership, source; the refused write: 3 savepoint statements (the
    # service's own), 3 full_clean lookups, the locked row, the changes since with who made
    # them; the page: the status they replaced, the membership now, the sources re-checked
    # and listed.
    # One more: the arrangements, so that the menu and the back link keep the one shown.
    with django_assert_num_queries(23):
        response = client.post(form_url("thanet"), second)

    assert response.status_code == 409
    assert record_counts() == counts
    assert Decision.objects.filter(summary__startswith="Second").count() == 0
    assert Decision.objects.filter(summary__startswith="First").count() == 1
    thanet = membership("thanet")
    assert thanet.status == "pending"
    assert thanet.history.filter(version__gt=opened_at).count() == 1
    page = response.content.decode()
    assert "changed since you opened this form" in page
    assert "by Pat Staff" in page
    assert "First editor&#x27;s reason" in page
    assert "changed from Joined to Pending" in page
    # The second editor's input is kept, now against the version they have seen.
    assert "Second: the governing body withdrew." in page
    assert f'name="version" value="{thanet.version}"' in page

    resubmitted = dict(second, version=str(thanet.version))
    assert client.post(form_url("thanet"), resubmitted).status_code == 302
    assert membership("thanet").status == "opted_out"


def test_scrutiny_users_may_not_record_decisions_or_add_sources(client, kent_medway, scrutineer):
    client.force_login(scrutineer)
    before = record_counts()

    assert client.get(form_url()).status_code == 403
    assert client.post(form_url(), joining()).status_code == 403
    assert client.get(reverse("decisions:source_add")).status_code == 403
    assert client.post(reverse("decisions:source_add"), {"title": "x"}).status_code == 403
    assert record_counts() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, kent_medway):
    response = client.get(form_url())

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={form_url()}"


def test_an_unknown_ccg_has_no_form(client, kent_medway, staff):
    client.force_login(staff)

    assert client.get(form_url("maidstone")).status_code == 404


def source_data(**overrides):
    data = {
        "title": "Thanet CCG governing body minutes, 19 March 2018",
        "publisher": "Thanet CCG",
        "published": "2018-03",
        "published_precision": "month",
        "published_note": "",
        "url": "https://example.org/thanet-minutes",
        "quote": "The governing body agreed to join the strategic commissioner.",
    }
    data.update(overrides)
    return with_dates(data)


def test_staff_add_a_source_and_go_back_where_they_came_from(client, kent_medway, staff):
    client.force_login(staff)

    response = client.post(
        reverse("decisions:source_add") + f"?next={form_url('thanet')}",
        source_data(published="2018-03-31", published_precision="month"),
    )

    assert response.status_code == 302
    assert response.url == form_url("thanet")
    source = Source.objects.get(title__startswith="Thanet CCG governing body minutes")
    assert source.published_display == "March 2018"
    assert source.history.get().history_user == staff


def test_an_unsafe_next_address_is_ignored(client, kent_medway, staff):
    client.force_login(staff)

    response = client.post(
        reverse("decisions:source_add"),
        dict(source_data(), next="https://evil.example/"),
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_an_invalid_source_is_explained_and_not_saved(
    client, kent_medway, staff, django_assert_num_queries
):
    client.force_login(staff)
    before = Source.objects.count()
    data = source_data(quote="", url="not a web address")

    # session, user, the add_source permission (user's and groups'), groups (header);
    # the arrangements (which one the source joins: one more since sources belong to one);
    # savepoint, release: the refused form is checked and shown again without a write.
    with django_assert_num_queries(8):
        response = client.post(reverse("decisions:source_add"), data)

    assert response.status_code == 200
    assert Source.objects.count() == before
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Quote the passage the record will cite." in page
    assert "Enter a web address" in page
    assert "Thanet CCG governing body minutes, 19 March 2018" in page


def test_the_source_form_costs_a_fixed_number_of_queries(client, staff, django_assert_num_queries):
    client.force_login(staff)
    client.get(reverse("decisions:source_add"))

    # session, user, the add_source permission (user's and groups'), groups (header);
    # the arrangements (which one the source joins: one more since sources belong to one);
    # the request's savepoint and release.
    with django_assert_num_queries(8):
        client.get(reverse("decisions:source_add"))


def test_the_meeting_date_of_a_decision_taken_today_is_allowed(client, kent_medway, staff):
    client.force_login(staff)
    today = timezone.localdate().isoformat()

    response = client.post(
        form_url(),
        joining(meeting_date=today, meeting_date_precision="day", effective_date=today),
    )

    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_thanets_form_leave_one_decision(kent_medway, staff, admin):
    """Both POSTs really run at once (pretix-style): the lock lets exactly one through."""
    opened_at = membership("thanet").version
    data = joining(
        "thanet",
        outcome="deferred",
        effective_date="",
        expected_date="2018-05-31",
        version=str(opened_at),
    )
    barrier = threading.Barrier(2)
    statuses = []

    def submit(user):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(form_url("thanet"), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(user,)) for user in (staff, admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302, 409]
    thanet = membership("thanet")
    assert thanet.version == opened_at + 1
    assert thanet.history.filter(version__gt=opened_at).count() == 1
    assert Decision.objects.filter(ccg=thanet.ccg, outcome="deferred").count() == 1


def test_a_stale_form_with_a_new_source_keeps_neither(client, kent_medway, staff):
    client.force_login(staff)
    opened_at = membership("thanet").version
    assert client.post(form_url("thanet"), joining("thanet", outcome="noted")).status_code == 302
    # A "noted" decision leaves the membership alone; a deferral moves it on.
    deferral = joining("thanet", outcome="deferred", effective_date="", expected_date="2018-05-31")
    assert client.post(form_url("thanet"), deferral).status_code == 302
    before = record_counts()

    stale = joining(
        "thanet",
        outcome="declined",
        meeting_date="2018-04-30",
        effective_date="2018-04-30",
        source="",
        new_source_title="Late minutes",
        new_source_publisher="Thanet CCG",
        new_source_published="2018-04-30",
        new_source_quote="Declined.",
        version=str(opened_at),
    )
    response = client.post(form_url("thanet"), stale)

    assert response.status_code == 409
    assert record_counts() == before
    assert not Source.objects.filter(title="Late minutes").exists()
    assert 'value="Late minutes"' in response.content.decode()


def test_the_form_states_the_current_status_as_precisely_as_its_source(client, kent_medway, staff):
    client.force_login(staff)

    page = client.get("/ccgs/south-kent-coast/decisions/new/").content.decode()

    assert "by 27 February 2018." in page
    assert "since by" not in page


@pytest.mark.parametrize(
    ("published", "message"),
    [
        (
            {"published": "2031-03-19"},
            "The date published cannot be after today",
        ),
        (
            {"published": "", "published_precision": "day"},
            "Enter the date the source was published. If it states none",
        ),
    ],
)
def test_a_source_published_after_today_or_undated_is_refused(
    client, kent_medway, staff, published, message
):
    client.force_login(staff)
    before = Source.objects.count()

    response = client.post(reverse("decisions:source_add"), source_data(**published))

    assert response.status_code == 200
    assert Source.objects.count() == before
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert 'href="#id_published_day"' in page


def test_every_mistake_in_a_decision_is_shown_in_one_round(client, kent_medway, staff):
    """No source, no reason, and a date that takes effect before the meeting: all three at once,
    not the date only after the source is put right."""
    client.force_login(staff)
    before = record_counts()
    data = joining(
        source="",
        reason="",
        meeting_date="2018-04-30",
        meeting_date_precision="day",
        effective_date="2018-04-01",
        effective_date_precision="day",
    )

    response = client.post(form_url(), data)

    assert record_counts() == before
    errors = response.context["form"].errors
    assert errors["source"] == ["Choose a source or add a new one."]
    assert errors["reason"] == ["Give the reason for this change."]
    assert errors["effective_date"] == [
        "The date it takes effect cannot be before the meeting date."
    ]
    page = response.content.decode()
    for field in ("source", "reason", "effective_date_day"):
        assert f'href="#id_{field}"' in page


def test_a_new_source_from_the_future_is_refused_with_the_decisions_own_errors(
    client, kent_medway, staff
):
    client.force_login(staff)
    before = record_counts()
    data = joining(
        source="",
        new_source_title="A board paper",
        new_source_publisher="South Kent Coast CCG",
        new_source_published="2031-04-30",
        new_source_quote="Agreed.",
        outcome="declined",
        effective_date="",
    )

    response = client.post(form_url(), data)

    assert record_counts() == before
    errors = response.context["form"].errors
    assert "cannot be after today" in errors["new_source_published"][0]
    assert errors["effective_date"] == ["Give the date the decision takes effect."]


def test_a_day_that_does_not_exist_is_named(client, kent_medway, staff):
    client.force_login(staff)

    response = client.post(form_url(), joining(meeting_date="2018-02-31"))

    assert response.context["form"].errors["meeting_date"] == [
        "Meeting date must be a real date: 31 February 2018 does not exist "
        "(February 2018 has 28 days)"
    ]
