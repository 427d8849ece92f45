"""import_record: the invented example beside the 2018 record, and a file loaded twice."""

import datetime

import pytest
import tomli_w
from django.core.management import call_command

from ccgs.models import CCG, Commissioner
from decisions.models import Decision, Membership
from interchange.importer import import_record
from records.models import TimelineEvent
from roles.models import Assignment, Post
from tests.factories import CCGFactory

from .conftest import EXAMPLE, EXAMPLE_NAME, row_counts

pytestmark = pytest.mark.django_db


def test_the_invented_example_loads_beside_the_2018_record(kent_medway, capsys):
    thanet_2018 = Membership.objects.get(
        ccg__slug="thanet", commissioner__name__contains="Kent and"
    )
    rows_2018 = list(thanet_2018.history.values_list("history_id", flat=True))

    call_command("import_record", str(EXAMPLE))

    assert f"Loaded the record of {EXAMPLE_NAME}" in capsys.readouterr().out
    example = Commissioner.objects.get(name=EXAMPLE_NAME)
    # The three CCGs it names are the 2018 record's own, reused by slug, not copies.
    assert CCG.objects.count() == 8
    assert sorted(example.memberships.values_list("ccg__slug", flat=True)) == [
        "ashford",
        "canterbury-and-coastal",
        "thanet",
    ]
    decisions = Decision.objects.filter(commissioner=example).order_by("recorded_at")
    assert [(d.ccg.slug, d.outcome) for d in decisions] == [
        ("ashford", "agreed"),
        ("canterbury-and-coastal", "agreed"),
        ("thanet", "deferred"),
    ]
    (row,) = decisions[0].history.all()
    assert row.history_user.username == "example-data"
    assert (
        row.history_change_reason
        == "Invented example: the governing body minutes of 14 November 2018"
    )
    assert row.history_date.date() == datetime.date(2018, 11, 20)
    # Thanet is pending in the merger and still joined in the 2018 arrangement, whose
    # history gained no row.
    merger = Membership.objects.get(ccg__slug="thanet", commissioner=example)
    assert merger.status == "pending"
    assert merger.expected_decision_display == "February 2019"
    thanet_2018.refresh_from_db()
    assert thanet_2018.status == "joined"
    assert list(thanet_2018.history.values_list("history_id", flat=True)) == rows_2018
    # Each arrangement's status is its own decisions' alone: Ashford joined the merger in
    # November 2018, whatever it decided about the 2018 joint committee.
    assert Membership.objects.get(ccg__slug="ashford", commissioner=example).since_display == (
        "14 November 2018"
    )
    assignment = Assignment.objects.get(person__name="Alex Example (invented)")
    assert assignment.start_display == "November 2018"


def test_the_example_reads_on_the_timeline_in_the_order_the_record_learnt_it(kent_medway):
    call_command("import_record", str(EXAMPLE))

    # The 2018 record learnt its last fact in April 2018; the example's start in October.
    events = TimelineEvent.objects.filter(recorded_at__date__gte=datetime.date(2018, 10, 1))
    titles = list(events.order_by("recorded_at", "id").values_list("title", flat=True))
    assert titles == [
        "Published: Proposal for a single East Kent CCG (invented example, not a real document)",
        "Invented example: the single CCG could start",
        "Published: Ashford CCG governing body minutes, 14 November 2018 (invented example, "
        "not a real document)",
        "Ashford: agreed to join (governing body)",
        "Ashford: membership status now joined",
        "Alex Example (invented) starts as Merger programme director (invented example)",
        "Published: Merger update (invented example, not a real document)",
        "Canterbury and Coastal: agreed to join (governing body)",
        "Canterbury and Coastal: membership status now joined",
        "Thanet: asked for more information; decision deferred (GP membership)",
        "Thanet: membership status now pending",
    ]


def test_a_file_loaded_twice_changes_nothing_the_second_time(kent_medway, capsys):
    call_command("import_record", str(EXAMPLE))
    first = row_counts()

    call_command("import_record", str(EXAMPLE))

    assert row_counts() == first
    said = capsys.readouterr()
    assert f"The record of {EXAMPLE_NAME} is already loaded; nothing changed." in said.out
    assert said.err == ""  # the same file: nothing to warn of


def test_an_edited_file_of_an_arrangement_already_loaded_is_not_taken_for_it(
    kent_medway, example_data, tmp_path, capsys
):
    """The second load changes nothing, but says the file is not what the record holds."""
    call_command("import_record", str(EXAMPLE))
    first = row_counts()
    example_data["events"][1]["summary"] = "Edited after loading."
    edited = tmp_path / "edited.toml"
    edited.write_text(tomli_w.dumps(example_data), encoding="utf-8")
    capsys.readouterr()

    call_command("import_record", str(edited))

    assert row_counts() == first
    said = capsys.readouterr()
    assert f"The record of {EXAMPLE_NAME} is already loaded; nothing changed." in said.out
    assert (
        f"{edited} differs from the record of {EXAMPLE_NAME}: 1 event in the file that the "
        "record does not hold; 1 event in the record that the file does not hold. The record "
        "was kept"
    ) in said.err


def test_the_2018_record_loaded_again_changes_nothing(kent_medway, capsys):
    before = row_counts()

    call_command("load_kent_medway_2018")

    assert row_counts() == before
    assert "already loaded; nothing changed" in capsys.readouterr().out


def test_a_ccg_added_in_the_admin_joins_the_file_with_an_accountable_officer_post(
    kent_medway, example_data
):
    # An admin adds a CCG (no post of its own); a later file names it as a member.
    CCGFactory(name="Invented Coast", slug="invented-coast", ods_code="", locality_group=None)
    example_data["ccgs"].append(
        {"name": "Invented Coast", "slug": "invented-coast", "sources": ["ex-1"]}
    )

    import_record(tomli_w.dumps(example_data))

    post = Post.objects.get(title="Accountable officer, Invented Coast CCG")
    assert post.ccg.slug == "invented-coast"
    (row,) = post.history.all()
    assert row.history_change_reason == "Invented example data, from a statutory post of every CCG"
    merger = Membership.objects.get(ccg=post.ccg, commissioner__name=EXAMPLE_NAME)
    assert merger.status_label == "No record yet"
