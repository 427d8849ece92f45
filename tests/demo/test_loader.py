import datetime
import os
from pathlib import Path

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

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


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


def test_thanets_history_reads_as_2018_did_opted_out_then_joined(kent_medway):
    thanet = Membership.objects.get(ccg__name="Thanet")

    rows = list(thanet.history.order_by("history_date"))

    assert [row.status for row in rows] == ["considering", "opted_out", "joined"]
    assert [row.history_date.date() for row in rows] == [
        datetime.date(2018, 1, 31),
        datetime.date(2018, 2, 27),  # 002 published
        datetime.date(2018, 4, 27),  # 003 published
    ]
    assert rows[2].since == datetime.date(2018, 3, 19)
    assert all(row.history_user.username == "demo-data" for row in rows)
    assert "19 March" in rows[2].history_change_reason


def test_in_effect_on_dates_of_2018_true_to_the_sources(kent_medway):
    # 19 Feb: only West Kent's board (004, January) had signed off.
    assert statuses(datetime.date(2018, 2, 19))["West Kent"] == "joined"
    assert statuses(datetime.date(2018, 2, 19))["Thanet"] == "considering"
    # 13 March: the six of 002 joined, Thanet out, South Kent Coast pending.
    on_13_march = statuses(datetime.date(2018, 3, 13))
    assert sorted(name for name, s in on_13_march.items() if s == "joined") == [
        "Ashford",
        "Canterbury and Coastal",
        "Dartford, Gravesham and Swanley",
        "Medway",
        "Swale",
        "West Kent",
    ]
    assert on_13_march["Thanet"] == "opted_out"
    assert on_13_march["South Kent Coast"] == "pending"
    # 19 March: Thanet joined (003); 19 April: South Kent Coast still pending.
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


def test_south_kent_coast_stays_pending_with_both_expected_dates_kept(kent_medway):
    membership = Membership.objects.get(ccg__name="South Kent Coast")

    assert membership.status == "pending"
    assert membership.expected_decision == datetime.date(2018, 4, 19)
    expected = [row.expected_decision for row in membership.history.order_by("history_date")]
    assert datetime.date(2018, 2, 22) in expected  # 002 said 22 February
    assert expected[-1] == datetime.date(2018, 4, 19)  # 003 says 19 April


def test_hazel_smith_left_thanet_on_28_february_which_the_record_learnt_on_5_march(kent_medway):
    assignment = Assignment.objects.get(person__name="Hazel Smith", post__ccg__name="Thanet")

    assert assignment.end == datetime.date(2018, 2, 28)
    ended = assignment.history.filter(end__isnull=False).order_by("history_date").first()
    assert ended.history_date.date() == datetime.date(2018, 3, 5)
    assert ended.history_date.hour == 10 and ended.history_date.minute == 30
    before = Assignment.history.as_of(end_of_day(datetime.date(2018, 3, 1))).get(pk=assignment.pk)
    assert before.end is None
    assert (
        Assignment.objects.get(person__name="Hazel Smith", post__ccg__name="South Kent Coast").end
        is None
    )


def test_vague_dates_stay_vague(kent_medway):
    west_kent = Decision.objects.exclude(outcome="considering").get(ccg__name="West Kent")
    assert west_kent.meeting_date_display == "January 2018"
    assert "Maidstone" in west_kent.data_entry_note
    assert Source.objects.get(key="001").published_display == "by January 2018"
    ashford = Decision.objects.exclude(outcome="considering").get(ccg__name="Ashford")
    assert ashford.meeting_date_display == "by 27 February 2018"


def test_every_fact_cites_a_source(kent_medway):
    assert not Decision.objects.filter(sources=None).exists()
    assert not Assignment.objects.filter(sources=None).exists()
    # Every status comes from a decision in the log (the first, 'considering', too).
    for membership in Membership.objects.all():
        for row in membership.history.all():
            assert row.decision_id, f"{membership} has a status no decision gives"


def test_every_quoted_passage_is_in_its_source_document(kent_medway):
    if not SEEDS.exists():
        # CI always has shared/ beside the clone; a laptop may not.
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed documents at {SEEDS}")
        pytest.skip("the shared seed documents are not beside the repo")
    texts = {path.name.split("_")[0]: path.read_text(encoding="utf-8") for path in SEEDS.iterdir()}
    for source in Source.objects.all():
        document = texts[source.key.split("-")[0]]
        assert len(source.quote) < 600, f"{source.key}: quote a passage, not the article"
        for fragment in source.quote.split("[...]"):
            assert " ".join(fragment.split()) in " ".join(document.split()), source.key


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
