"""The team, the CCGs' accountable officers and the function matrix, as the 2018 sources tell it."""

import pytest
from django.contrib.auth import get_user_model

from records.models import Source
from records.points import end_of_day
from roles import services
from roles.models import CommissioningFunction, Level
from roles.selectors import function_history, function_matrix, posts_filled, team_as_at
from tests.conftest import day

pytestmark = pytest.mark.django_db


def holders(team):
    """{post title: [holder names]} for the commissioner's posts and the STP roles."""
    return {
        state.post.title: [holder.person.name for holder in state.holders]
        for state in team.commissioner_posts + team.stp
    }


def holder(team, title):
    (state,) = [s for s in team.commissioner_posts + team.stp if s.post.title == title]
    (only,) = state.holders
    return only


def test_on_28_february_the_transitional_directors_are_in_post_and_there_is_no_accountable_officer(
    kent_medway,
):
    team = team_as_at(day("2018-02-28"))

    # 002/003: transitional roles "from February 2018"; Glenn Douglas only from 12 March (003).
    assert holders(team)["Accountable officer (strategic commissioner)"] == []
    assert holders(team)["Managing director, Medway, North and West Kent"] == ["Ian Ayres"]
    assert holders(team)["Managing director, East Kent"] == ["Caroline Selkirk"]
    assert holders(team)["Director of acute strategy"] == ["Patricia Davies"]
    assert holders(team)["Director of Partnerships"] == ["Hazel Smith"]
    assert holders(team)["Deputy managing director, Medway, North and West Kent"] == ["Simon Perks"]
    ian = holder(team, "Managing director, Medway, North and West Kent")
    assert ian.term.start_display == "February 2018"
    assert ian.term.transitional
    # On 28 February he was still West Kent's accountable officer too (until 12 March, 003).
    assert ian.also == "also accountable officer for West Kent CCG"
    assert ian.previously == ""


def test_a_month_precise_start_is_not_shown_before_the_month_is_certainly_under_way(kent_medway):
    # "From February 2018" is stored as 28 February: on 27 February it is not yet certain.
    team = team_as_at(day("2018-02-27"))

    assert holders(team)["Managing director, East Kent"] == []
    assert team.filled_seats == 0


def test_on_12_march_glenn_douglas_is_accountable_officer_and_keeps_the_stp_role(kent_medway):
    team = team_as_at(day("2018-03-12"))

    glenn = holder(team, "Accountable officer (strategic commissioner)")
    assert glenn.person.name == "Glenn Douglas"
    assert glenn.term.start_display == "12 March 2018"
    assert not glenn.term.transitional
    assert glenn.also == (
        "also accountable officer for Ashford CCG, Canterbury and Coastal CCG, "
        "Dartford, Gravesham and Swanley CCG, Medway CCG, Swale CCG and West Kent CCG; "
        "STP chief executive"
    )
    # 001: programme director and medical director are STP roles, shown apart.
    assert [state.post.title for state in team.stp] == [
        "STP chief executive",
        "STP programme director",
        "STP medical director",
    ]
    assert holders(team)["STP programme director"] == ["Michael Ridgwell"]
    assert holders(team)["STP medical director"] == []


def test_the_previously_lines_are_derived_from_the_earlier_assignments(kent_medway):
    team = team_as_at(day("2018-03-13"))

    previously = {
        title: holder(team, title).previously
        for title in (
            "Managing director, Medway, North and West Kent",
            "Managing director, East Kent",
            "Director of acute strategy",
            "Deputy managing director, Medway, North and West Kent",
            "Director of Partnerships",
        )
    }
    # 003's table: "previously accountable officer for ..."
    assert previously == {
        "Managing director, Medway, North and West Kent": (
            "previously accountable officer for West Kent CCG"
        ),
        "Managing director, East Kent": "previously accountable officer for Medway CCG",
        "Director of acute strategy": (
            "previously accountable officer for Dartford, Gravesham and Swanley CCG and Swale CCG"
        ),
        "Deputy managing director, Medway, North and West Kent": (
            "previously accountable officer for Ashford CCG and Canterbury and Coastal CCG"
        ),
        "Director of Partnerships": ("previously accountable officer for Thanet CCG"),
    }
    # 000: she stayed accountable officer for South Kent Coast.
    hazel = holder(team, "Director of Partnerships")
    assert hazel.also == "also accountable officer for South Kent Coast CCG"


def test_the_chart_has_the_accountable_officer_the_managing_directors_by_group_and_directors(
    kent_medway,
):
    team = team_as_at(day("2018-03-13"))

    assert [state.post.title for state in team.top] == [
        "Accountable officer (strategic commissioner)"
    ]
    assert [
        (group.name, [state.post.title for state in states])
        for group, states in team.managing_directors
    ] == [
        ("Medway, North and West Kent", ["Managing director, Medway, North and West Kent"]),
        ("East Kent", ["Managing director, East Kent"]),
    ]
    assert [state.post.title for state in team.directors] == [
        "Director of acute strategy",
        "Director of Partnerships",
        "Director of corporate services",
        "Director of nursing and quality",
        "Director of finance",
        "Deputy managing director, Medway, North and West Kent",
    ]


def test_vacancies_on_13_march_against_the_proposed_structure(kent_medway):
    team = team_as_at(day("2018-03-13"))

    vacant = {state.post.title: state.seats_not_stated for state in team.proposed}
    assert vacant == {
        "Accountable officer (strategic commissioner)": 0,
        "Managing director, Medway, North and West Kent": 0,
        "Managing director, East Kent": 0,
        "Director of acute strategy": 0,
        "Director of Partnerships": 0,
        "Director of corporate services": 1,
        "Director of nursing and quality": 1,
        "Director of finance": 2,
    }
    # 001: one AO, two MDs, four directors, two directors of finance: nine seats in eight posts.
    assert (team.filled_seats, team.proposed_seats) == (5, 9)
    assert posts_filled(day("2018-03-13")) == (5, 9)
    assert posts_filled(day("2018-02-28")) == (4, 9)
    assert posts_filled(day("2018-02-27")) == (0, 9)


def test_thanet_has_no_accountable_officer_from_28_february_until_19_march(kent_medway):
    def without_officer(on):
        return [ccg.name for ccg in team_as_at(day(on)).ccgs_without_officer]

    # 000 (update of 5 March): Hazel Smith resigned from Thanet with effect from 28 February.
    assert without_officer("2018-02-27") == []
    assert without_officer("2018-02-28") == ["Thanet"]
    assert without_officer("2018-03-01") == ["Thanet"]
    assert without_officer("2018-03-18") == ["Thanet"]
    # The committee paper: Thanet joined on 19 March, sharing the single accountable officer.
    assert without_officer("2018-03-19") == []


def test_each_ccgs_accountable_officers_over_time(kent_medway):
    officers = {officer.ccg.name: officer for officer in team_as_at(day("2018-03-01")).officers}

    thanet = officers["Thanet"]
    assert [(t.person.name, t.start_display, t.end_display) for t in thanet.terms] == [
        ("Hazel Smith", "start not stated", "28 February 2018"),
        ("Glenn Douglas", "19 March 2018", ""),
    ]
    assert [t.person.name for t in officers["South Kent Coast"].holders] == ["Hazel Smith"]
    assert [t.person.name for t in officers["Ashford"].holders] == ["Simon Perks"]


def test_as_recorded_on_4_march_the_record_knew_nothing_yet_of_hazel_smith(kent_medway):
    # The March article is undated; the record can prove it public only from its update of
    # 5 March, so the record of 4 March knew no accountable officer for Thanet at all.
    team = team_as_at(day("2018-03-01"), known_at=end_of_day(day("2018-03-04")))

    officers = {officer.ccg.name: officer for officer in team.officers}
    assert officers["Thanet"].terms == []
    assert officers["South Kent Coast"].terms == []
    # Nor of the other transitional roles (recorded from the committee paper, 27 April).
    assert holders(team)["Managing director, East Kent"] == []
    after = team_as_at(day("2018-03-01"), known_at=end_of_day(day("2018-03-05")))
    officers = {officer.ccg.name: officer for officer in after.officers}
    assert [t.end_display for t in officers["Thanet"].terms] == ["28 February 2018"]
    assert [t.person.name for t in officers["South Kent Coast"].holders] == ["Hazel Smith"]


def test_function_matrix_is_empty_before_the_kentonline_article_is_certainly_out(kent_medway):
    # The article is undated; "by 12 March 2018" is the earliest the record can prove.
    assert function_matrix(day("2017-12-31")) == []
    assert function_matrix(day("2018-03-11")) == []


def test_function_matrix_holds_the_two_joint_functions_from_the_ccgs_statement(kent_medway):
    placements = function_matrix(day("2018-03-13"))

    assert [(p.name, p.level, p.since_display) for p in placements] == [
        ("Re-commissioning of NHS 111", Level.KENT_AND_MEDWAY, "by 12 March 2018"),
        ("Stroke review", Level.KENT_AND_MEDWAY, "by 12 March 2018"),
    ]
    assert all(p.placed_by.startswith("Already worked on together") for p in placements)
    assert all([s.key for s in p.sources] == ["004"] for p in placements)


def test_function_matrix_as_at_a_date_before_and_after_a_move(kent_medway, staff):
    stroke = CommissioningFunction.objects.get(name="Stroke review")
    workshop = Source.objects.get(key="003")
    services.function_move(
        function=stroke,
        level=Level.LOCALITY_GROUP,
        since=day("2018-05-01"),
        since_precision="month",
        placed_by="Final design workshop, May 2018",
        sources=[workshop],
        reason="Test: the workshop placed it in the locality groups",
        user=staff,
        expected_version=1,
    )

    def level_on(on):
        return {p.name: p.level for p in function_matrix(day(on))}["Stroke review"]

    assert level_on("2018-04-30") == Level.KENT_AND_MEDWAY
    assert level_on("2018-05-31") == Level.LOCALITY_GROUP
    (moved,) = [p for p in function_matrix(day("2018-06-01")) if p.name == "Stroke review"]
    assert [s.key for s in moved.sources] == ["003"]
    assert moved.placed_by == "Final design workshop, May 2018"
    # The history keeps both placements, newest first, with who and why.
    history = function_history(stroke)
    assert [(p.level, p.recorded_by) for p in history] == [
        (Level.LOCALITY_GROUP, staff),
        (Level.KENT_AND_MEDWAY, get_user_model().objects.get(username="demo-data")),
    ]
    assert history[0].reason == "Test: the workshop placed it in the locality groups"
    assert [s.key for s in history[1].sources] == ["004"]


def test_function_matrix_as_recorded_before_a_move_was_recorded(kent_medway, staff):
    stroke = CommissioningFunction.objects.get(name="Stroke review")
    services.function_move(
        function=stroke,
        level=Level.CCG,
        since=day("2018-03-01"),
        since_precision="month",
        placed_by="Design workshop, March 2018",
        sources=[Source.objects.get(key="003")],
        reason="Test",
        user=staff,
        recorded_at=end_of_day(day("2018-05-10")),
    )

    def level(known_at):
        rows = function_matrix(day("2018-04-01"), known_at=end_of_day(day(known_at)))
        return {p.name: p.level for p in rows}["Stroke review"]

    assert level("2018-05-01") == Level.KENT_AND_MEDWAY
    assert level("2018-05-11") == Level.CCG
