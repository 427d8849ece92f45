import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from ccgs.models import CCG
from decisions.models import Decision, Membership
from decisions.selectors import membership_as_at
from records.models import Source
from records.points import end_of_day
from roles.models import Assignment

pytestmark = pytest.mark.django_db


def statuses(on, known=None):
    states = membership_as_at(on, end_of_day(known) if known else None)
    return {state.ccg.name: state.status for state in states}


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"ccgs", "decisions", "roles", "scrutiny"}
    }


@pytest.mark.django_db(transaction=True)
def test_loading_twice_changes_nothing(capsys):
    # Every other test finds the story already loaded; this one loads it into an
    # empty database, as `make run` does.
    call_command("flush", interactive=False, verbosity=0)
    assert row_counts()["ccgs.CCG"] == 0
    call_command("load_kent_medway_2018")
    first = row_counts()

    call_command("load_kent_medway_2018")

    assert row_counts() == first
    assert "already loaded; nothing changed" in capsys.readouterr().out
    assert first["ccgs.CCG"] == 8


def test_the_eight_ccgs_carry_their_ods_codes_and_locality_groups(kent_medway):
    ccgs = {ccg.name: ccg for ccg in CCG.objects.select_related("locality_group")}

    assert ccgs["Thanet"].ods_code == "10E"
    assert ccgs["West Kent"].ods_code == "99J"
    assert ccgs["Medway"].locality_group.name == "Medway, North and West Kent"
    assert ccgs["South Kent Coast"].locality_group.name == "East Kent"
    assert "if confirmed at later date" in ccgs["South Kent Coast"].locality_note
    assert ccgs["Ashford"].ods_code_source == "NHS ODS code (public listing)"


def test_thanets_history_reads_as_2018_did_no_record_then_opted_out_then_joined(kent_medway):
    thanet = Membership.objects.get(ccg__name="Thanet")

    rows = list(thanet.history.order_by("history_date"))

    # No source gives a status before the STP's update of 27 February: no record, not a guess.
    assert [row.status for row in rows] == ["", "opted_out", "joined"]
    assert [row.history_date.date() for row in rows] == [
        datetime.date(2018, 2, 27),
        datetime.date(2018, 2, 27),  # the STP's February update
        datetime.date(2018, 4, 27),  # the committee paper, public by its meeting
    ]
    assert rows[2].since == datetime.date(2018, 3, 19)
    assert all(row.history_user.username == "demo-data" for row in rows)
    assert "19 March" in rows[2].history_change_reason


def test_in_effect_on_dates_of_2018_true_to_the_sources(kent_medway):
    # Before 27 February no source gives any CCG a status; West Kent's undated board
    # meeting (KentOnline) does not make it "joined" in January.
    assert set(statuses(datetime.date(2018, 2, 19)).values()) == {None}
    assert set(statuses(datetime.date(2018, 2, 26)).values()) == {None}
    # 27 February: the six of the STP's update joined "by" that day, Thanet out, South Kent
    # Coast pending.
    on_27_february = statuses(datetime.date(2018, 2, 27))
    assert sorted(name for name, s in on_27_february.items() if s == "joined") == [
        "Ashford",
        "Canterbury and Coastal",
        "Dartford, Gravesham and Swanley",
        "Medway",
        "Swale",
        "West Kent",
    ]
    assert on_27_february["Thanet"] == "opted_out"
    assert on_27_february["South Kent Coast"] == "pending"
    # 19 March: Thanet joined (the committee paper); 20 April: South Kent Coast still pending.
    assert statuses(datetime.date(2018, 3, 18))["Thanet"] == "opted_out"
    assert statuses(datetime.date(2018, 3, 19))["Thanet"] == "joined"
    assert list(statuses(datetime.date(2018, 4, 20)).values()).count("joined") == 7
    assert statuses(datetime.date(2018, 4, 20))["South Kent Coast"] == "pending"


def test_as_recorded_before_april_the_record_did_not_know_thanet_had_joined(kent_medway):
    assert statuses(datetime.date(2018, 3, 20), known=datetime.date(2018, 3, 20))["Thanet"] == (
        "opted_out"
    )
    assert statuses(datetime.date(2018, 3, 20), known=datetime.date(2018, 4, 27))["Thanet"] == (
        "joined"
    )


def test_south_kent_coast_stays_pending_with_every_expected_date_kept(kent_medway):
    membership = Membership.objects.get(ccg__name="South Kent Coast")

    assert membership.status == "pending"
    assert membership.expected_decision == datetime.date(2018, 4, 19)
    expected = [row.expected_decision for row in membership.history.order_by("history_date")]
    # 22 February (the STP's update), then none (a further meeting "being arranged", March),
    # then 19 April (the committee paper).
    assert expected[1:] == [
        datetime.date(2018, 2, 22),
        None,
        datetime.date(2018, 4, 19),
    ]


def test_hazel_smith_left_thanet_on_28_february_which_the_record_learnt_on_5_march(kent_medway):
    assignment = Assignment.objects.get(person__name="Hazel Smith", post__ccg__name="Thanet")

    assert assignment.end == datetime.date(2018, 2, 28)
    (first,) = assignment.history.all()
    # The article is undated; its update of 5 March 10:30 is the earliest it was surely public.
    assert first.history_date.date() == datetime.date(2018, 3, 5)
    assert (first.history_date.hour, first.history_date.minute) == (10, 31)
    assert (
        Assignment.objects.get(person__name="Hazel Smith", post__ccg__name="South Kent Coast").end
        is None
    )


def test_vague_dates_stay_vague(kent_medway):
    west_kent = Decision.objects.get(ccg__name="West Kent")
    assert west_kent.meeting_date_display == "by 27 February 2018"
    assert west_kent.in_effect_from_display == "by 27 February 2018"
    assert "Maidstone" in west_kent.data_entry_note
    assert Source.objects.get(key="001").published_display == "by 12 March 2018"
    assert Source.objects.get(key="004").published_display == "by 12 March 2018"
    assert Source.objects.get(key="000").published_display == "by 5 March 2018"
    assert Source.objects.get(key="003").published_display == "April 2018"


def test_every_fact_cites_a_source(kent_medway):
    assert not Decision.objects.filter(sources=None).exists()
    assert not Assignment.objects.filter(sources=None).exists()
    # Every status comes from a decision in the log; before any, there is no status at all.
    for membership in Membership.objects.all():
        for row in membership.history.all():
            assert row.decision_id or row.status == "", f"{membership}: a status no decision gives"


def test_a_review_date_copied_from_a_vague_expected_date_stays_vague(kent_medway, staff):
    from decisions.services import decision_record

    skc = Membership.objects.get(ccg__name="South Kent Coast")
    decision_record(
        ccg=skc.ccg,
        body="gp_membership",
        outcome="deferred",
        expected_date=datetime.date(2018, 5, 1),
        expected_date_precision="month",
        summary="Decision now expected in May.",
        sources=[Source.objects.get(key="003")],
        reason="Verbal update at the committee",
        user=staff,
    )

    skc.refresh_from_db()
    assert skc.review_by == datetime.date(2018, 5, 31)
    assert skc.review_by_display == "the end of May 2018"
    assert skc.expected_decision_display == "May 2018"
