import datetime

import pytest

from ccgs.models import CCG
from decisions import services
from decisions.models import Membership
from decisions.selectors import (
    ccg_decisions,
    group_by_locality,
    joined_count,
    membership_as_at,
    membership_changes,
    membership_history,
)
from records.history import StaleEdit, save_with_history
from records.models import Source
from roles.selectors import ccg_accountable_officers

pytestmark = pytest.mark.django_db


def test_states_are_grouped_by_locality_in_the_groups_order_with_the_ungrouped_last(
    kent_medway, admin
):
    medway = CCG.objects.get(slug="medway")
    medway.locality_group = None
    save_with_history(medway, user=admin, reason="Locality group not yet known")

    groups = group_by_locality(membership_as_at(datetime.date(2018, 5, 1)))

    assert [g.group.name if g.group else None for g in groups] == [
        "Medway, North and West Kent",
        "East Kent",
        None,
    ]
    assert [s.ccg.name for s in groups[0].states] == [
        "Dartford, Gravesham and Swanley",
        "Swale",
        "West Kent",
    ]
    assert [s.ccg.name for s in groups[2].states] == ["Medway"]


@pytest.mark.parametrize(
    ("on", "joined"),
    [
        # No source gives any CCG a status before 27 February (West Kent's undated board
        # meeting in KentOnline does not count as January).
        (datetime.date(2018, 2, 1), 0),
        # Six of eight agreed by 27 February (the STP's update).
        (datetime.date(2018, 2, 27), 6),
        # Thanet joined on 19 March (the committee paper).
        (datetime.date(2018, 3, 19), 7),
    ],
)
def test_the_headline_counts_the_ccgs_joined_on_a_date(kent_medway, on, joined):
    assert joined_count(membership_as_at(on)) == (joined, 8)


def test_membership_history_gives_each_change_with_old_and_new_values(kent_medway):
    membership = Membership.objects.get(ccg__slug="thanet")

    history = membership_history(membership).entries

    assert [entry.why for entry in history] == [
        "Committee paper of April 2018: Thanet joined on 19 March",
        "The STP's February 2018 update: Thanet is not pursuing formal arrangements",
        history[-1].why,
    ]
    joined, opted_out, created = history
    assert created.kind == "Created"
    assert created.changes == []  # no status: no source gave one before 27 February
    changes = {c.label: (c.old, c.new) for c in joined.changes}
    assert changes["Status"] == ("Opted out", "Joined")
    assert changes["In effect since"] == ("by 27 February 2018", "19 March 2018")
    assert changes["Decision"][1] == "Agreed to join (19 March 2018)"
    assert "Source" not in changes
    assert joined.when > opted_out.when > created.when


def test_membership_history_costs_two_queries_however_long(
    kent_medway, staff, django_assert_num_queries
):
    membership = Membership.objects.get(ccg__slug="thanet")
    decisions = {d.pk: d for d in ccg_decisions(membership.ccg).shown}
    # The rows with their users; the page has already read every decision they name.
    with django_assert_num_queries(1):
        membership_history(membership, decisions)

    for day in (1, 2, 3):
        services.decision_record(
            ccg=membership.ccg,
            body="governing_body",
            outcome="agreed",
            meeting_date=datetime.date(2018, 5, day),
            effective_date=datetime.date(2018, 5, day),
            summary="Agreed again.",
            sources=[Source.objects.get(key="003")],
            reason=f"Change {day}",
            user=staff,
        )
    decisions = {d.pk: d for d in ccg_decisions(membership.ccg).shown}
    with django_assert_num_queries(1):
        history = membership_history(membership, decisions).entries
    assert len(history) == 6
    assert history[0].who == "Pat Staff"


def test_accountable_officers_run_from_an_unstated_start_to_the_successor(kent_medway):
    officers = ccg_accountable_officers(CCG.objects.get(slug="west-kent"))

    assert [(a.person.name, a.start_display, a.end_display) for a in officers] == [
        ("Ian Ayres", "start not stated", "12 March 2018"),
        ("Glenn Douglas", "12 March 2018", ""),
    ]


def test_the_changes_a_stale_form_missed_name_who_why_and_the_status_move(kent_medway, staff):
    membership = Membership.objects.get(ccg__slug="south-kent-coast")
    opened_at = membership.version
    arguments = {
        "ccg": membership.ccg,
        "body": "gp_membership",
        "sources": [Source.objects.get(key="003")],
        "user": staff,
    }
    services.decision_record(
        **arguments,
        outcome="agreed",
        meeting_date=datetime.date(2018, 4, 30),
        effective_date=datetime.date(2018, 4, 30),
        summary="Joined.",
        reason="GP members voted to join",
    )
    with pytest.raises(StaleEdit) as refused:
        services.decision_record(
            **arguments,
            outcome="declined",
            meeting_date=datetime.date(2018, 4, 30),
            effective_date=datetime.date(2018, 4, 30),
            summary="Declined.",
            reason="Someone else's edit",
            expected_version=opened_at,
        )

    (change,) = membership_changes(membership.pk, refused.value.changes)

    assert change["who"] == "Pat Staff"
    assert change["why"] == "GP members voted to join"
    assert (change["old_status"], change["new_status"]) == ("Pending", "Joined")
