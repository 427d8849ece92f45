"""Correcting and withdrawing a recorded decision, as STP staff do it in the browser.

The scenario the issue names: South Kent Coast's joining is recorded with effect from
1 May 2018 (on 2 May), then corrected to 1 June. Every page must agree, at every
"in effect on" and "as recorded on" date, and the original must stay as it was.
"""

import datetime

import pytest
from django.urls import reverse

from decisions import services
from decisions.models import Decision, Membership, Withdrawal
from records.models import EventKind, Source, TimelineEvent
from tests.decisions.date_boxes import with_dates

pytestmark = pytest.mark.django_db

RECORDED = datetime.datetime(2018, 5, 2, 10, tzinfo=datetime.UTC)


def skc():
    return Membership.objects.get(ccg__slug="south-kent-coast")


@pytest.fixture
def joined_1_may(kent_medway, staff):
    """South Kent Coast's joining, recorded on 2 May 2018 with effect from 1 May."""
    membership = skc()
    return services.decision_record(
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
        recorded_at=RECORDED,
    )


def correction(decision, **overrides):
    data = {
        "body": "gp_membership",
        "outcome": "agreed",
        "meeting_date": "2018-04-30",
        "meeting_date_precision": "day",
        "effective_date": "2018-06-01",
        "effective_date_precision": "day",
        "expected_date": "",
        "expected_date_precision": "day",
        "review_by": "",
        "summary": "The GP members agreed to join from 1 June.",
        "data_entry_note": "",
        "source": str(Source.objects.get(key="003").pk),
        "new_source_title": "",
        "new_source_publisher": "",
        "new_source_published": "",
        "new_source_published_precision": "day",
        "new_source_url": "",
        "new_source_quote": "",
        "reason": "The CCG wrote: the joining took effect on 1 June, not 1 May",
        "version": str(skc().version),
    }
    data.update(overrides)
    return with_dates(data)


def status(client, as_at, known_at=None):
    params = {"as_at": as_at} | ({"known_at": known_at} if known_at else {})
    members = client.get("/api/membership/", params).json()["members"]
    return next(m["status"] for m in members if m["ccg"] == "South Kent Coast")


def test_the_correct_form_opens_prefilled_with_the_decision_as_it_stands(
    client, staff, joined_1_may
):
    client.force_login(staff)

    response = client.get(reverse("decisions:correct", args=[joined_1_may.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Correct a decision" in page
    form = response.context["form"]
    assert form["outcome"].value() == "agreed"
    assert form["effective_date"].value() == ["1", "5", "2018"]
    assert form["summary"].value() == "The GP members agreed to join."


def test_a_correction_replaces_the_original_on_every_page_and_keeps_it_as_it_was(
    client, staff, joined_1_may
):
    client.force_login(staff)

    response = client.post(
        reverse("decisions:correct", args=[joined_1_may.pk]), correction(joined_1_may)
    )

    assert response.status_code == 302
    corrected = Decision.objects.get(corrects=joined_1_may)
    assert corrected.effective_date == datetime.date(2018, 6, 1)
    assert corrected.recorded_by == staff
    # The original is never edited: one history row, as it was recorded.
    joined_1_may.refresh_from_db()
    assert joined_1_may.effective_date == datetime.date(2018, 5, 1)
    assert joined_1_may.history.count() == 1

    # In effect on 15 May, as recorded now: not yet joined; on 15 June: joined.
    assert status(client, "2018-05-15") == "pending"
    assert status(client, "2018-06-15") == "joined"
    # As recorded before the correction (3 May 2018): joined on 15 May, exactly as it was.
    assert status(client, "2018-05-15", "2018-05-03") == "joined"
    dashboard = client.get("/", {"as_at": "2018-05-15"}).content.decode()
    assert "7 of 8 CCGs have joined" in dashboard
    assert "8 of 8 CCGs have joined" in client.get("/", {"as_at": "2018-06-15"}).content.decode()

    # The CCG page shows the original marked, beside its replacement.
    page = client.get(reverse("scrutiny:ccg", args=["south-kent-coast"])).content.decode()
    assert "Corrected on" in page
    assert "Pat Staff" in page
    assert "the joining took effect on 1 June, not 1 May" in page
    summary = page[page.index('id="membership-summary"') :]
    summary = summary[: summary.index("</dl>")]
    assert "1 June 2018" in summary
    assert "1 May 2018" not in summary


def test_the_timeline_shows_the_correction_and_drops_what_it_replaced(client, staff, joined_1_may):
    client.force_login(staff)
    client.post(reverse("decisions:correct", args=[joined_1_may.pk]), correction(joined_1_may))

    def titles(**params):
        response = client.get(reverse("scrutiny:timeline"), {"ccg": "south-kent-coast", **params})
        return [(e.kind, e.date.isoformat()) for e in response.context["page"].events]

    now = titles()
    assert (EventKind.CORRECTION, "2018-04-30") in now
    assert (EventKind.STATUS_CHANGE, "2018-06-01") in now
    assert (EventKind.STATUS_CHANGE, "2018-05-01") not in now
    # As recorded on 3 May 2018 the timeline said what the record said then.
    then = titles(known_at="2018-05-03")
    assert (EventKind.STATUS_CHANGE, "2018-05-01") in then
    assert EventKind.CORRECTION not in [kind for kind, _ in then]


def test_a_corrected_decision_cannot_be_corrected_again_and_points_at_the_current_one(
    client, staff, joined_1_may
):
    client.force_login(staff)
    client.post(reverse("decisions:correct", args=[joined_1_may.pk]), correction(joined_1_may))
    current = Decision.objects.get(corrects=joined_1_may)
    before = Decision.objects.count()

    response = client.post(
        reverse("decisions:correct", args=[joined_1_may.pk]), correction(joined_1_may)
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "This decision no longer counts" in page
    assert reverse("decisions:correct", args=[current.pk]) in page
    assert Decision.objects.count() == before


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(client, staff, joined_1_may):
    client.force_login(staff)
    before = (Decision.objects.count(), skc().version)

    response = client.post(
        reverse("decisions:correct", args=[joined_1_may.pk]), correction(joined_1_may, reason="")
    )

    assert response.status_code == 200
    assert "Give the reason for this change." in response.content.decode()
    assert (Decision.objects.count(), skc().version) == before


def test_a_stale_correction_is_refused_and_says_who_changed_what(
    client, staff, admin, joined_1_may
):
    client.force_login(staff)
    opened = correction(joined_1_may)
    services.decision_withdraw(decision=joined_1_may, user=admin, reason="Entered twice")

    response = client.post(reverse("decisions:correct", args=[joined_1_may.pk]), opened)

    assert response.status_code == 409
    assert not Decision.objects.filter(corrects=joined_1_may).exists()


def test_withdrawing_a_decision_keeps_it_marked_and_it_no_longer_counts(
    client, staff, joined_1_may
):
    client.force_login(staff)
    url = reverse("decisions:withdraw", args=[joined_1_may.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"reason": "Entered against the wrong CCG", "version": str(skc().version)}
    )

    assert response.status_code == 302
    (withdrawal,) = Withdrawal.objects.filter(decision=joined_1_may)
    assert withdrawal.recorded_by == staff
    assert Decision.objects.filter(pk=joined_1_may.pk).exists()
    assert status(client, "2018-05-15") == "pending"
    assert status(client, "2018-05-15", "2018-05-03") == "joined"
    assert TimelineEvent.objects.filter(kind=EventKind.WITHDRAWAL).count() == 1
    page = client.get(reverse("scrutiny:ccg", args=["south-kent-coast"])).content.decode()
    assert "Withdrawn on" in page
    assert "Entered against the wrong CCG" in page


def test_a_withdrawal_needs_a_reason(client, staff, joined_1_may):
    client.force_login(staff)

    response = client.post(
        reverse("decisions:withdraw", args=[joined_1_may.pk]),
        {"reason": "", "version": str(skc().version)},
    )

    assert response.status_code == 200
    assert "Give the reason for withdrawing this decision." in response.content.decode()
    assert not Withdrawal.objects.exists()


@pytest.mark.parametrize("page", ["correct", "withdraw"])
def test_scrutiny_officers_cannot_correct_or_withdraw(client, scrutineer, joined_1_may, page):
    client.force_login(scrutineer)

    url = reverse(f"decisions:{page}", args=[joined_1_may.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert not Withdrawal.objects.exists()
    assert not Decision.objects.filter(corrects=joined_1_may).exists()


def test_the_same_decision_form_sent_twice_records_one_decision(client, staff, kent_medway):
    client.force_login(staff)
    url = reverse("decisions:record", args=["south-kent-coast"])
    data = correction(None, reason="GP membership meeting outcome", outcome="noted")
    before = Decision.objects.count()

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == 302
    # Even a "noted" decision moves the version: the second submit is stale.
    assert second.status_code == 409
    assert Decision.objects.count() == before + 1


def test_page_query_counts_do_not_grow_with_corrections(
    client, staff, joined_1_may, django_assert_max_num_queries
):
    client.force_login(staff)
    pages = ["/", "/api/membership/", reverse("scrutiny:ccg", args=["south-kent-coast"])]
    pages += [reverse("scrutiny:timeline"), reverse("scrutiny:chart"), "/as-at/"]
    for url in pages:
        client.get(url)  # warm the session
    costs = {}
    for url in pages:
        with django_assert_max_num_queries(100) as captured:
            client.get(url)
        costs[url] = len(captured)

    current = joined_1_may
    for n in range(3):
        current = services.decision_correct(
            decision=current,
            body="gp_membership",
            outcome="agreed",
            effective_date=datetime.date(2018, 6, 1 + n),
            summary="Corrected again",
            sources=[Source.objects.get(key="003")],
            reason=f"Correction {n}",
            user=staff,
        )

    for url in pages:
        with django_assert_max_num_queries(costs[url], info=url):
            client.get(url)
