import datetime

import pytest
from django.core.exceptions import ValidationError

from decisions import services
from decisions.models import Decision, Membership
from records.history import StaleEdit
from records.models import EventKind, Source, TimelineEvent
from tests.factories import CommissionerFactory, SourceFactory

pytestmark = pytest.mark.django_db


def record(membership, user, source, **overrides):
    arguments = {
        "ccg": membership.ccg,
        "commissioner": membership.commissioner,
        "body": "governing_body",
        "outcome": "agreed",
        "meeting_date": datetime.date(2018, 3, 19),
        "effective_date": datetime.date(2018, 3, 19),
        "summary": "The governing body agreed to join.",
        "sources": [source],
        "reason": "Minutes of the 19 March meeting",
        "user": user,
    }
    arguments.update(overrides)
    return services.decision_record(**arguments)


def snapshot():
    """Everything a failed recording must leave untouched."""
    return (
        Decision.objects.count(),
        Decision.history.count(),
        Membership.history.count(),
        TimelineEvent.objects.count(),
        list(Membership.objects.values_list("status", "version")),
    )


def test_an_agreement_moves_the_status_to_joined_with_one_history_row_naming_user_and_reason(
    membership, staff, source
):
    decision = record(membership, staff, source)

    membership.refresh_from_db()
    assert membership.status == "joined"
    assert membership.since == datetime.date(2018, 3, 19)
    assert membership.decision == decision
    assert membership.version == 2
    (change,) = membership.history.filter(version=2)
    assert change.history_user == staff
    assert change.history_change_reason == "Minutes of the 19 March meeting"
    assert change.status == "joined"
    assert change.decision_id == decision.pk
    (decision_row,) = decision.history.all()
    assert decision_row.history_user == staff
    assert list(decision.sources.all()) == [source]


def test_the_decision_and_the_status_change_reach_the_timeline_with_their_source(
    membership, staff, source
):
    decision = record(membership, staff, source)

    events = TimelineEvent.objects.about(decision).order_by("id")
    assert [e.kind for e in events] == [EventKind.DECISION, EventKind.STATUS_CHANGE]
    assert all(list(e.sources.all()) == [source] for e in events)
    assert events[1].title == "Test Thanet: membership status now joined"


def test_a_deferred_decision_makes_the_membership_pending_with_a_review_date(
    membership, staff, source
):
    record(
        membership,
        staff,
        source,
        outcome="deferred",
        effective_date=None,
        meeting_date=datetime.date(2018, 2, 20),
        expected_date=datetime.date(2018, 4, 19),
    )

    membership.refresh_from_db()
    assert membership.status == "pending"
    assert membership.expected_decision == datetime.date(2018, 4, 19)
    assert membership.review_by == datetime.date(2018, 4, 19)
    assert membership.since == datetime.date(2018, 2, 20)


def test_a_noted_decision_leaves_the_status_alone_but_moves_the_version(membership, staff, source):
    record(membership, staff, source, outcome="noted")

    membership.refresh_from_db()
    assert membership.status == "considering"
    # Every decision moves the version, so the same form sent twice is refused as stale.
    assert membership.version == 2


def test_a_month_precise_effective_date_is_stored_as_that_month(membership, staff, source):
    record(
        membership,
        staff,
        source,
        meeting_date=datetime.date(2018, 1, 1),
        meeting_date_precision="month",
        effective_date=datetime.date(2018, 1, 1),
        effective_date_precision="month",
    )

    membership.refresh_from_db()
    assert membership.since_display == "January 2018"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"effective_date": datetime.date(2018, 3, 18)},
            "effective_date",
            "cannot be before the meeting date",
        ),
        (
            {
                "meeting_date": datetime.date(2999, 1, 1),
                "effective_date": datetime.date(2999, 1, 1),
            },
            "meeting_date",
            "cannot have a meeting date in the future",
        ),
        ({"sources": []}, "sources", "Cite at least one source"),
        ({"reason": "  "}, "reason", "Give the reason"),
        ({"effective_date": None}, "effective_date", "Give the date the decision takes effect"),
        (
            {"expected_date": datetime.date(2018, 4, 19)},
            "expected_date",
            "Only a decision not yet taken has an expected date",
        ),
    ],
)
def test_invalid_decisions_are_refused_with_a_message_and_change_nothing(
    membership, staff, source, overrides, field, message
):
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        record(membership, staff, source, **overrides)

    assert message in " ".join(refused.value.message_dict[field])
    assert snapshot() == before


def test_a_failure_midway_leaves_no_decision_no_status_change_and_no_history(
    membership, staff, source, monkeypatch
):
    before = snapshot()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # The decision row is written before the status follows it; break that second step.
    monkeypatch.setattr(services, "_membership_refresh", fail)
    with pytest.raises(RuntimeError):
        record(membership, staff, source)

    assert snapshot() == before


def test_an_edit_made_on_a_stale_form_is_refused_and_says_who_changed_what(
    membership, staff, source, admin
):
    opened_at = membership.version
    record(membership, admin, source, reason="Thanet joined, per the HOSC paper")
    before = snapshot()

    with pytest.raises(StaleEdit) as refused:
        record(membership, staff, SourceFactory(), expected_version=opened_at)

    (change,) = refused.value.changes
    assert change.history_user == admin
    assert change.history_change_reason == "Thanet joined, per the HOSC paper"
    assert change.status == "joined"
    assert snapshot() == before


def test_querysets_cannot_change_a_status_behind_the_history(membership):
    with pytest.raises(TypeError, match="decision_record"):
        Membership.objects.filter(pk=membership.pk).update(status="joined")
    with pytest.raises(TypeError):
        Membership.objects.bulk_update([membership], ["status"])

    membership.refresh_from_db()
    assert membership.status == "considering"


def test_a_tracked_change_without_a_user_is_refused(membership, source):
    before = Decision.objects.count()
    with pytest.raises(ValueError, match="name the user"):
        record(membership, None, source)
    assert Decision.objects.count() == before


def test_a_decision_learnt_late_takes_effect_before_the_status_in_force(membership, staff, source):
    from decisions.selectors import decision_logs, member_state

    march = datetime.datetime(2018, 3, 20, 12, tzinfo=datetime.UTC)
    record(membership, staff, source, recorded_at=march)  # joined, 19 March 2018
    record(
        membership,
        staff,
        source,
        outcome="declined",
        meeting_date=datetime.date(2018, 1, 10),
        effective_date=datetime.date(2018, 1, 10),
        reason="Learnt late: the governing body first declined in January",
    )

    membership.refresh_from_db()
    assert membership.status == "joined"  # the latest in effect is still the March decision
    log = decision_logs(ccgs=[membership.ccg])[membership.ccg_id]
    assert member_state(membership.ccg, log, datetime.date(2018, 1, 15)).status == "opted_out"
    assert member_state(membership.ccg, log, datetime.date(2018, 3, 20)).status == "joined"
    # As recorded before the late fact arrived, the record said nothing of January.
    earlier = decision_logs(known_at=datetime.date(2018, 3, 21), ccgs=[membership.ccg])
    log = earlier[membership.ccg_id]
    assert member_state(membership.ccg, log, datetime.date(2018, 1, 15)).status is None
    assert member_state(membership.ccg, log, datetime.date(2018, 3, 20)).status == "joined"


def test_a_deferral_with_no_dates_holds_by_the_date_of_its_evidence(membership, staff):
    from decisions.selectors import decision_logs, member_state

    published = datetime.date(2018, 4, 27)
    evidence = SourceFactory(published=published)
    record(membership, staff, evidence)  # joined, 19 March 2018
    record(membership, staff, evidence, outcome="deferred", meeting_date=None, effective_date=None)

    membership.refresh_from_db()
    assert membership.status == "pending"
    assert membership.since == published
    assert membership.since_display == "by 27 April 2018"
    log = decision_logs(ccgs=[membership.ccg])[membership.ccg_id]
    # Never earlier than its evidence: on 26 April the CCG had still joined.
    assert member_state(membership.ccg, log, datetime.date(2018, 4, 26)).status == "joined"
    assert member_state(membership.ccg, log, published).status == "pending"


def test_a_fact_with_no_date_and_undated_sources_holds_by_the_london_day_recorded():
    # 23:30 UTC on 14 May is 00:30 on 15 May in London (BST).
    late = datetime.datetime(2018, 5, 14, 23, 30, tzinfo=datetime.UTC)

    assert services.evidence_date([SourceFactory.build(published=None)], late) == (
        datetime.date(2018, 5, 15),
        "on_or_before",
    )


NEW_SOURCE = {
    "title": "Thanet CCG governing body minutes, 19 March 2018",
    "publisher": "Thanet CCG",
    "published": datetime.date(2018, 3, 19),
    "quote": "The governing body agreed to join.",
}


def test_a_decision_citing_a_new_source_records_both(membership, staff):
    arguments = {"ccg": membership.ccg, "commissioner": membership.commissioner}
    decision = services.decision_record_citing_new_source(
        new_source=NEW_SOURCE,
        body="governing_body",
        outcome="agreed",
        effective_date=datetime.date(2018, 3, 19),
        summary="Agreed to join.",
        reason="Minutes of the 19 March meeting",
        user=staff,
        **arguments,
    )

    (source,) = decision.sources.all()
    assert source.title == NEW_SOURCE["title"]
    assert source.history.get().history_change_reason.startswith("Cited for a decision of")


def test_a_refused_decision_leaves_its_new_source_unwritten_and_says_why(membership, staff):
    before = snapshot()
    sources_before = Source.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.decision_record_citing_new_source(
            new_source={**NEW_SOURCE, "url": "not an address"},
            ccg=membership.ccg,
            commissioner=membership.commissioner,
            body="governing_body",
            outcome="agreed",
            effective_date=datetime.date(2018, 3, 19),
            summary="Agreed to join.",
            reason="Minutes",
            user=staff,
        )
    assert "new_source_url" in refused.value.message_dict

    # The decision itself is refused after the source was written: both roll back.
    with pytest.raises(ValidationError):
        services.decision_record_citing_new_source(
            new_source=NEW_SOURCE,
            ccg=membership.ccg,
            commissioner=membership.commissioner,
            body="governing_body",
            outcome="agreed",
            summary="No effective date given.",
            reason="Minutes",
            user=staff,
        )

    assert snapshot() == before
    assert Source.objects.count() == sources_before


def test_with_a_second_arrangement_a_decision_must_say_which_and_nothing_is_written(
    membership, staff, source
):
    CommissionerFactory(name="Kent and Medway CCG (merger)")
    before = snapshot()

    with pytest.raises(ValidationError, match="Say which arrangement"):
        record(membership, staff, source, commissioner=None)

    assert snapshot() == before
