"""A bad record file is refused whole, every problem listed with its path, nothing written."""

import pytest
import tomli_w
from django.core.management import call_command
from django.core.management.base import CommandError

from ccgs.models import Commissioner
from interchange.importer import RecordProblems, import_record

from .conftest import EXAMPLE_NAME, row_counts

pytestmark = pytest.mark.django_db


def refused(data):
    """The problems ``import_record`` lists for ``data``, checking it wrote nothing."""
    before = row_counts()
    with pytest.raises(RecordProblems) as refusal:
        import_record(tomli_w.dumps(data))
    assert row_counts() == before
    return refusal.value.problems


def test_every_problem_is_listed_with_its_path_and_nothing_is_written(
    kent_medway, example_data, tmp_path, capsys
):
    data = example_data
    data["events"][1]["sources"] = ["ex-9"]
    data["events"][1]["meeting_date"] = 20181114
    data["events"][2]["start"] = "2018-11-15"  # its precision is "month"
    del data["sources"][1]["quote"]
    data["people"].append({"name": "Sam Example (invented)"})
    data["events"].insert(
        3,
        {
            "recorded": "2018-11-20T09:11:00",
            "type": "assignment",
            "person": "Sam Exampel (invented)",
            "post": "Merger programme director (invented example)",
            "start": "2018-12-01",
            "sources": ["ex-2"],
            "reason": "A second holder of a post with one seat",
        },
    )
    data["events"][4]["ccg"] = "kent-west"
    data["events"].append({"type": "party", "recorded": "2019-02-01T09:00:00", "reason": "?"})
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    before = row_counts()

    with pytest.raises(CommandError, match="Nothing was loaded: 8 problems in"):
        call_command("import_record", str(path))

    assert row_counts() == before
    assert not Commissioner.objects.filter(name=EXAMPLE_NAME).exists()
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: {problem}"
        for problem in [
            "events[1].meeting_date: 20181114 is not of type 'string'",
            "events[6].type: 'party' is not one of ['memberships_start', 'decision', "
            "'withdrawal', 'assignment', 'assignment_end', 'function', 'function_move', "
            "'meeting']",
            "sources[1]: 'quote' is a required property",
            "events[1].sources[0]: unknown source key 'ex-9'",
            "events[2].start: 2018-11-15 is more precise than its precision 'month': "
            "a month is written as its last day (2018-11-30)",
            "events[3].person: unknown person 'Sam Exampel (invented)'",
            "events[4].ccg: unknown CCG 'kent-west'",
            "events[3]: 'Merger programme director (invented example)' has 1 seat(s), "
            "already held for those dates by Alex Example (invented) (events[2])",
        ]
    ]


def test_one_person_twice_in_one_post_at_once_is_refused(kent_medway, example_data):
    assignment = dict(example_data["events"][2], recorded="2018-11-20T09:11:00")
    assignment["start"], assignment["start_precision"] = "2019-01-31", "month"
    example_data["events"].insert(3, assignment)

    assert refused(example_data) == [
        "events[3]: Alex Example (invented)'s assignment to 'Merger programme director "
        "(invented example)' overlaps their assignment at events[2]"
    ]


def test_a_ccg_that_differs_from_the_record_and_a_source_key_taken_are_refused(
    kent_medway, example_data
):
    example_data["ccgs"][0]["ods_code"] = "09X"
    example_data["ccgs"][2]["locality"] = "medway-north-west-kent"
    example_data["localities"].append(
        {
            "name": "Medway, North and West Kent",
            "slug": "medway-north-west-kent",
            "sources": ["ex-1"],
        }
    )
    example_data["sources"][2]["key"] = "003"
    for event in example_data["events"][3:]:
        event["sources"] = ["003"]

    problems = refused(example_data)

    assert problems[:2] == [
        "ccgs[0]: 'ashford' is already in the record with other facts: ods_code '09X' "
        "(the record has '09C')",
        "ccgs[2]: 'thanet' is already in the record with other facts: locality "
        "'medway-north-west-kent' (the record has 'east-kent')",
    ]
    # A key the record holds is the same document, or a mistake: every fact that differs.
    (taken,) = problems[2:]
    assert taken.startswith(
        "sources[2].key: '003' is already a source in the record with other facts: title "
        "'Merger update (invented example, not a real document)' (the record has 'Item 4: "
    )
    assert taken.endswith("; give this file's source a key of its own")


def test_events_out_of_the_order_the_record_learnt_them_are_refused(kent_medway, example_data):
    example_data["events"][3]["recorded"] = "2018-11-01T09:00:00"

    assert refused(example_data) == [
        "events[3].recorded: 2018-11-01T09:00:00 is before the event above it (events[2]); "
        "events are listed in the order the record learnt of them"
    ]


def test_a_fact_a_service_refuses_is_reported_at_its_event_and_rolls_everything_back(
    kent_medway, example_data
):
    # The file's shape is sound, but an agreement needs the day it takes effect.
    del example_data["events"][1]["effective_date"]

    assert refused(example_data) == [
        "events[1]: effective_date: Give the date the decision takes effect."
    ]


def test_a_file_that_is_not_toml_is_one_problem_with_its_line(kent_medway):
    before = row_counts()
    with pytest.raises(RecordProblems) as refusal:
        import_record('[commissioner]\nname = "Unclosed\n')

    assert refusal.value.problems == [
        "the file is not valid TOML: Illegal character '\\n' (at line 2, column 17)"
    ]
    assert row_counts() == before


def test_a_correction_or_withdrawal_must_name_a_decision_above_not_yet_replaced(
    kent_medway, example_data
):
    events = example_data["events"]
    events[1]["id"] = "ashford-agrees"
    events += [
        dict(events[1], recorded="2019-02-01T09:00:00", id="fix", corrects="ashford-agrees"),
        dict(events[3], recorded="2019-02-01T09:01:00", corrects="fix"),
        {
            "recorded": "2019-02-01T09:02:00",
            "type": "withdrawal",
            "decision": "ashford-agrees",
            "reason": "Entered in error",
        },
        {
            "recorded": "2019-02-01T09:03:00",
            "type": "withdrawal",
            "decision": "thanet-defers",
            "reason": "Entered in error",
        },
    ]

    assert refused(example_data) == [
        "events[6].ccg: a correction names the CCG of the decision it corrects ('ashford')",
        "events[7].decision: decision 'ashford-agrees' was already corrected or withdrawn "
        "at events[5]",
        "events[8].decision: unknown decision id 'thanet-defers' (above this event)",
    ]


def test_an_empty_or_blank_quote_is_one_plain_problem(kent_medway, example_data):
    example_data["sources"][0]["quote"] = ""
    example_data["sources"][1]["quote"] = "   "

    assert refused(example_data) == [
        "sources[0].quote: is empty; write the text out",
        "sources[1].quote: is empty; write the text out",
    ]


def test_who_recorded_an_event_must_be_a_username(kent_medway, example_data):
    example_data["events"][1]["recorded_by"] = "Jo Bloggs; DROP TABLE"
    # A final newline would look like "staff" on every page that names who recorded it.
    example_data["events"][2]["recorded_by"] = "staff\n"
    example_data["ccgs"][0]["slug"] = "ashford\n"

    problems = refused(example_data)

    assert problems[:3] == [
        "ccgs[0].slug: 'ashford\\n' is not lower-case letters, digits, - and _ (at most 50)",
        "events[1].recorded_by: 'Jo Bloggs; DROP TABLE' is not a username: letters, digits "
        "and @ . + - _ (at most 150)",
        "events[2].recorded_by: 'staff\\n' is not a username: letters, digits and @ . + - _ "
        "(at most 150)",
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("!!!", "commissioner.name: '!!!' gives no address for the arrangement's pages; "),
        (
            "東ケント",
            "commissioner.name: '東ケント' gives no address for the arrangement's pages; ",
        ),
        (
            "Kent and Medway Strategic Commissioner!",
            "commissioner.name: 'Kent and Medway Strategic Commissioner!' would have the "
            "address ‘kent-and-medway-strategic-commissioner’, which is 'Kent and Medway "
            "strategic commissioner''s; ",
        ),
        ("A" * 151, "commissioner.name: 'AAAA"),
    ],
)
def test_an_arrangement_name_that_gives_no_address_of_its_own_is_refused(
    kent_medway, example_data, name, problem
):
    example_data["commissioner"]["name"] = name

    (only,) = refused(example_data)

    assert only.startswith(problem)
