"""export_record: the record written back as the file it was loaded from."""

import datetime
import io
import tomllib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ccgs.models import CCG, Commissioner
from decisions.models import Decision, Membership
from decisions.services import (
    decision_correct,
    decision_record_citing_new_source,
    decision_withdraw,
)
from demo.loader import DATA_FILE
from records.models import Source
from tests.factories import staff_user

from .conftest import EXAMPLE, EXAMPLE_NAME

pytestmark = pytest.mark.django_db


def exported(capsys, *options):
    capsys.readouterr()
    call_command("export_record", "-", *options)
    return capsys.readouterr().out


def test_the_2018_record_exports_as_the_2018_file(kent_medway, tmp_path, capsys):
    path = tmp_path / "out.toml"

    call_command("export_record", str(path))

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# The record of Kent and Medway strategic commissioner")
    assert tomllib.loads(text) == tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert f"Wrote the record of Kent and Medway strategic commissioner to {path}." in (
        capsys.readouterr().err
    )


def test_beside_the_example_each_arrangement_exports_its_own_record(kent_medway, capsys):
    call_command("import_record", str(EXAMPLE))
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))

    record_2018 = tomllib.loads(
        exported(capsys, "--arrangement", "kent-and-medway-strategic-commissioner")
    )
    merger = tomllib.loads(exported(capsys, "--arrangement", EXAMPLE_NAME))

    assert record_2018 == tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    for table in ("importer", "commissioner", "people", "posts", "events", "claims"):
        assert merger[table] == example[table], table
    # The CCGs and East Kent were already in the record: they cite the committee paper that
    # brought them in (which the file then carries too), not the example's own proposal.
    assert [ccg["slug"] for ccg in merger["ccgs"]] == [
        "ashford",
        "canterbury-and-coastal",
        "thanet",
    ]
    assert {tuple(ccg["sources"]) for ccg in merger["ccgs"]} == {("003",)}
    assert [source["key"] for source in merger["sources"]] == ["003", "ex-1", "ex-2", "ex-3"]


def test_with_two_arrangements_the_command_asks_which(kent_medway):
    call_command("import_record", str(EXAMPLE))

    with pytest.raises(CommandError, match="Say which arrangement to export with --arrangement"):
        call_command("export_record", "-")
    with pytest.raises(CommandError, match="No arrangement is named 'Kent'. The record holds: "):
        call_command("export_record", "-", "--arrangement", "Kent")


@pytest.mark.django_db(transaction=True)
def test_an_export_loaded_into_an_empty_record_exports_byte_for_byte_the_same(
    kent_medway, tmp_path, capsys
):
    first = exported(capsys)
    path = tmp_path / "2018.toml"
    path.write_text(first, encoding="utf-8")
    call_command("flush", interactive=False, verbosity=0)

    call_command("import_record", str(path))

    assert CCG.objects.count() == 8
    assert exported(capsys) == first


@pytest.mark.django_db(transaction=True)
def test_the_example_alone_round_trips_to_an_equal_file(capsys):
    call_command("flush", interactive=False, verbosity=0)

    call_command("import_record", str(EXAMPLE))
    first = exported(capsys)

    assert tomllib.loads(first) == tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    # Alone, the example brings its CCGs in itself, each with its accountable officer's post.
    assert list(CCG.objects.values_list("posts__title", flat=True).order_by("pk")) == [
        "Accountable officer, Ashford CCG",
        "Accountable officer, Canterbury and Coastal CCG",
        "Accountable officer, Thanet CCG",
    ]


def test_a_decision_recorded_in_the_browser_is_exported_with_its_new_source(
    kent_medway, staff, capsys
):
    call_command("import_record", str(EXAMPLE))
    merger = Commissioner.objects.get(name=EXAMPLE_NAME)
    decision = decision_record_citing_new_source(
        new_source={
            "title": "Thanet CCG members' vote (invented example)",
            "publisher": "Invented for the tests",
            "published": datetime.date(2019, 2, 27),
            "quote": "The members voted to join the merger.",
        },
        ccg=CCG.objects.get(slug="thanet"),
        commissioner=merger,
        body="gp_membership",
        outcome="agreed",
        effective_date=datetime.date(2019, 2, 27),
        summary="Invented example: Thanet's members voted to join.",
        reason="Invented example: the members' vote",
        user=staff,
    )

    written = tomllib.loads(exported(capsys, "--arrangement", EXAMPLE_NAME))

    key = f"source-{decision.sources.get().pk}"
    assert written["events"][-1] == {
        "recorded": timezone.localtime(decision.recorded_at).replace(tzinfo=None).isoformat(),
        "type": "decision",
        "ccg": "thanet",
        "body": "gp_membership",
        "outcome": "agreed",
        "effective_date": "2019-02-27",
        "sources": [key],
        "summary": "Invented example: Thanet's members voted to join.",
        "reason": "Invented example: the members' vote",
        "recorded_by": staff.username,  # who recorded it, not the file's importer
    }
    assert written["sources"][-1]["title"] == "Thanet CCG members' vote (invented example)"
    assert written["sources"][-1]["key"] == key


@pytest.mark.django_db(transaction=True)
def test_a_correction_and_a_withdrawal_made_in_the_browser_round_trip(capsys, monkeypatch):
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_record", str(EXAMPLE))
    staff = staff_user(username="stp.staff")
    ashford, thanet = (
        Decision.objects.get(ccg__slug=slug, commissioner__name=EXAMPLE_NAME)
        for slug in ("ashford", "thanet")
    )
    decision_correct(
        decision=ashford,
        body="governing_body",
        outcome="agreed",
        meeting_date=datetime.date(2018, 11, 14),
        effective_date=datetime.date(2018, 11, 15),
        summary="Invented example: agreed to merge, from the day after the meeting.",
        sources=list(ashford.sources.all()),
        reason="Invented example: the minutes give the next day",
        user=staff,
    )
    decision_withdraw(decision=thanet, reason="Entered against the wrong CCG", user=staff)
    first = exported(capsys)
    written = tomllib.loads(first)

    ids = {e.get("id"): e for e in written["events"] if e.get("id")}
    assert ids["decision-1"]["ccg"] == "ashford"
    assert ids["decision-3"]["ccg"] == "thanet"
    correction, withdrawal = written["events"][-2:]
    assert correction["corrects"] == "decision-1"
    assert correction["effective_date"] == "2018-11-15"
    assert {key: value for key, value in withdrawal.items() if key != "recorded"} == {
        "type": "withdrawal",
        "decision": "decision-3",
        "reason": "Entered against the wrong CCG",
        "recorded_by": "stp.staff",
    }
    assert correction["recorded_by"] == "stp.staff"
    assert "recorded_by" not in ids["decision-1"]  # the file's own

    call_command("flush", interactive=False, verbosity=0)
    monkeypatch.setattr("sys.stdin", io.StringIO(first))  # "-": the file from standard input
    call_command("import_record", "-")

    assert exported(capsys) == first
    # Loaded into a record without that user, the history still names who did it; the user
    # made for it cannot sign in.
    withdrawn = Decision.objects.get(ccg__slug="thanet", commissioner__name=EXAMPLE_NAME)
    recorder = withdrawn.withdrawal.recorded_by
    assert recorder.username == "stp.staff"
    assert not recorder.is_active and not recorder.has_usable_password()
    merger = Membership.objects.filter(commissioner__name=EXAMPLE_NAME)
    assert merger.get(ccg__slug="ashford").since_display == "15 November 2018"
    assert merger.get(ccg__slug="thanet").status_label == "No record yet"


@pytest.mark.django_db(transaction=True)
def test_an_arrangement_exported_beside_2018_imports_again_beside_2018(
    kent_medway, tmp_path, capsys
):
    """Its CCGs came in with 2018's record and cite its paper (003), which the export
    carries; loaded again beside 2018, that paper is the record's own, cited, not refused."""
    call_command("import_record", str(EXAMPLE))
    path = tmp_path / "example.toml"
    path.write_text(exported(capsys, "--arrangement", EXAMPLE_NAME), encoding="utf-8")
    first = tomllib.loads(path.read_text(encoding="utf-8"))
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_record", str(DATA_FILE))

    call_command("import_record", str(path))

    assert tomllib.loads(exported(capsys, "--arrangement", EXAMPLE_NAME)) == first
    assert Source.objects.filter(key="003").count() == 1
    assert tomllib.loads(
        exported(capsys, "--arrangement", "kent-and-medway-strategic-commissioner")
    ) == tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
