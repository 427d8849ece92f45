"""The timeline and the two points in time, read against the 2018 story as its sources tell it."""

import datetime

import pytest

from ccgs.models import CCG, LocalityGroup
from records.models import EventKind, Source, TimelineEvent
from scrutiny import selectors
from scrutiny.selectors import Cursor

pytestmark = pytest.mark.django_db

SIX = {
    "Ashford",
    "Canterbury and Coastal",
    "Dartford, Gravesham and Swanley",
    "Medway",
    "Swale",
    "West Kent",
}


def day(text):
    return datetime.date.fromisoformat(text)


def statuses(point):
    return {member.ccg.name: member.status for member in point.members}


def joined(point):
    return {member.ccg.name for member in point.joined}


def ao_of(point, name):
    ccg = CCG.objects.get(name=name)
    return [assignment.person.name for assignment in point.officers.for_ccg(ccg)]


def member(point, name):
    return next(m for m in point.members if m.ccg.name == name)


# --- Timeline ---------------------------------------------------------------


def test_the_timeline_runs_in_order_of_the_date_each_event_took_effect(kent_medway):
    events = list(selectors.timeline_events())

    keys = [(event.sort_date, event.id) for event in events]
    assert keys == sorted(keys)
    # The 26 January HOSC meeting, recorded only from the committee paper in April, comes
    # first: no other fact is dated before 27 February.
    assert events[0].kind == EventKind.SCRUTINY_MEETING
    assert events[0].date == day("2018-01-26")
    # The last: the earliest a single CCG could come, as announced ("no earlier than April 2019").
    assert events[-1].date == day("2019-04-30")
    assert events[-1].kind == EventKind.ANNOUNCED


def test_thanet_filtered_shows_the_opt_out_then_the_joining(kent_medway):
    thanet = CCG.objects.get(slug="thanet")

    events = list(selectors.timeline_events(ccg=thanet))

    assert {event.ccg for event in events} == {thanet}
    titles = [event.title for event in events]
    opted_out = titles.index("Thanet: membership status now opted out")
    joined_ = titles.index("Thanet: membership status now joined")
    assert opted_out < joined_
    assert events[joined_].date == day("2018-03-19")
    assert [s.key for s in events[joined_].sources.all()] == ["003"]
    assert {s.key for s in events[opted_out].sources.all()} == {"002"}


def test_the_locality_kind_and_date_filters_narrow_the_timeline(kent_medway):
    east_kent = LocalityGroup.objects.get(slug="east-kent")

    events = list(
        selectors.timeline_events(
            locality_group=east_kent,
            kinds=[EventKind.DECISION],
            date_from=day("2018-03-01"),
            date_to=day("2018-03-31"),
        )
    )

    # In March 2018 the East Kent decisions are South Kent Coast's GPs asking for more
    # information (by 5 March, the trade press) and Thanet's joining (the committee paper).
    assert [(e.ccg.name, e.date) for e in events] == [
        ("South Kent Coast", day("2018-03-05")),
        ("Thanet", day("2018-03-19")),
    ]


def test_as_recorded_on_shows_only_what_the_record_knew_by_the_end_of_that_day(kent_medway):
    thanet = CCG.objects.get(slug="thanet")

    on_1_march = [
        e.title for e in selectors.timeline_events(ccg=thanet, known_at=day("2018-03-04"))
    ]
    on_5_march = [
        e.title for e in selectors.timeline_events(ccg=thanet, known_at=day("2018-03-05"))
    ]

    leaves = "Hazel Smith leaves Accountable officer, Thanet CCG (28 February 2018)"
    # The resignation took effect on 28 February; the article is public by 5 March only.
    assert leaves not in on_1_march
    assert leaves in on_5_march
    # Thanet's joining on 19 March was only recorded from the committee paper, 27 April.
    assert "Thanet: membership status now joined" not in on_5_march


def _walk(events, size):
    """Every page forward from the start, following next cursors."""
    pages, after = [], None
    while True:
        page = selectors.timeline_page(events, after=after, size=size)
        pages.append(page)
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


def test_keyset_pages_cover_every_event_once_forwards_and_back(kent_medway):
    events = selectors.timeline_events()
    every = [event.id for event in events]

    pages = _walk(events, size=7)

    assert [e.id for page in pages for e in page.events] == every
    assert pages[0].previous_cursor is None
    assert pages[-1].next_cursor is None
    # Going back from the last page gives the page before it, exactly.
    back = selectors.timeline_page(events, before=pages[-1].previous_cursor, size=7)
    assert [e.id for e in back.events] == [e.id for e in pages[-2].events]
    # And back to the very start: no earlier page.
    first = selectors.timeline_page(events, before=pages[1].previous_cursor, size=7)
    assert [e.id for e in first.events] == [e.id for e in pages[0].events]
    assert first.previous_cursor is None


def test_keyset_paging_breaks_ties_on_one_date_by_id(kent_medway):
    # Many events share 27 February 2018; a cursor in the middle of them must not skip any.
    events = selectors.timeline_events(date_from=day("2018-02-27"), date_to=day("2018-02-27"))
    ids = [e.id for e in events]
    assert len(ids) > 4

    page = selectors.timeline_page(events, after=Cursor(day("2018-02-27"), ids[2]), size=100)

    assert [e.id for e in page.events] == ids[3:]


def test_a_cursor_that_was_not_written_by_the_site_is_refused():
    with pytest.raises(ValueError, match="page position"):
        Cursor.parse("yesterday,1")
    assert Cursor.parse("2018-03-19,41") == Cursor(day("2018-03-19"), 41)
    assert str(Cursor(day("2018-03-19"), 41)) == "2018-03-19,41"


def test_recent_changes_are_newest_first_by_when_recorded(kent_medway):
    changes = list(selectors.recent_changes(limit=5))

    recorded = [c.recorded_at for c in changes]
    assert recorded == sorted(recorded, reverse=True)
    # The last thing the record learnt: the 27 April HOSC meeting (the committee paper).
    assert changes[0].kind == EventKind.SCRUTINY_MEETING
    assert changes[0].date == day("2018-04-27")


# --- In effect on, against as recorded on: the 2018 story --------------------


def test_19_february_no_source_gives_any_ccg_a_status(kent_medway):
    now = selectors.point_in_time_view(day("2018-02-19"))
    then = selectors.point_in_time_view(day("2018-02-19"), day("2018-02-19"))

    # KentOnline's undated report of the "Maidstone" (West Kent) board signing off gives no
    # day; the six agreements are only "by 27 February" (the STP's update).
    for point in (now, then):
        assert joined(point) == set()
        assert set(statuses(point).values()) == {None}


def test_28_february_six_agreed_thanet_out_south_kent_coast_pending(kent_medway):
    now = selectors.point_in_time_view(day("2018-02-28"))
    before_002 = selectors.point_in_time_view(day("2018-02-28"), day("2018-02-26"))

    # The STP's update (27 February): six of eight agreed; Thanet not pursuing; SKC to confirm.
    assert joined(now) == SIX
    assert statuses(now)["Thanet"] == "opted_out"
    assert statuses(now)["South Kent Coast"] == "pending"
    # On 26 February the record had seen no source: no status at all.
    assert joined(before_002) == set()
    assert set(statuses(before_002).values()) == {None}


def test_1_march_hazel_smith_as_now_known_and_unknown_to_the_record_then(kent_medway):
    now = selectors.point_in_time_view(day("2018-03-01"))
    then = selectors.point_in_time_view(day("2018-03-01"), day("2018-03-01"))

    # The March article: she resigned at Thanet with effect from 28 February.
    assert ao_of(now, "Thanet") == []
    assert ao_of(now, "South Kent Coast") == ["Hazel Smith"]
    # The article is undated and public only by 5 March: on 1 March the record knew of her
    # at neither CCG.
    assert ao_of(then, "Thanet") == []
    assert ao_of(then, "South Kent Coast") == []


def test_5_march_the_article_arrives_during_that_day(kent_medway):
    on_4th = selectors.point_in_time_view(day("2018-03-01"), day("2018-03-04"))
    on_5th = selectors.point_in_time_view(day("2018-03-01"), day("2018-03-05"))

    # Its update was posted at 10:30 on 5 March; "as recorded on 5 March" includes it.
    assert ao_of(on_4th, "South Kent Coast") == []
    assert ao_of(on_5th, "South Kent Coast") == ["Hazel Smith"]
    assert ao_of(on_5th, "Thanet") == []


def test_12_march_glenn_douglas_in_effect_but_not_yet_recorded(kent_medway):
    now = selectors.point_in_time_view(day("2018-03-12"))
    then = selectors.point_in_time_view(day("2018-03-12"), day("2018-03-12"))

    # 003: "announcement covering six of the eight CCGs was made on 12 March,
    # confirming Glenn Douglas as the new accountable officer"; published 27 April.
    shared_now = {a.post.title: a.person.name for a in now.officers.shared_team}
    assert shared_now["Accountable officer (strategic commissioner)"] == "Glenn Douglas"
    for name in SIX:
        assert "Glenn Douglas" in ao_of(now, name)
    assert ao_of(now, "Thanet") == []
    shared_then = {a.post.title: a.person.name for a in then.officers.shared_team}
    assert "Accountable officer (strategic commissioner)" not in shared_then
    assert shared_then == {"Director of Partnerships": "Hazel Smith"}


def test_13_march_six_joined_thanet_out_south_kent_coast_pending(kent_medway):
    point = selectors.point_in_time_view(day("2018-03-13"))

    assert joined(point) == SIX
    assert statuses(point)["Thanet"] == "opted_out"
    assert statuses(point)["South Kent Coast"] == "pending"
    assert {s.key for s in member(point, "Thanet").sources} == {"002"}


def test_19_and_20_march_seven_joined_as_now_known_but_six_as_recorded_then(kent_medway):
    on_19th = selectors.point_in_time_view(day("2018-03-19"))
    now = selectors.point_in_time_view(day("2018-03-20"))
    then = selectors.point_in_time_view(day("2018-03-20"), day("2018-03-20"))

    # 003: "Thanet CCG joined shortly after on 19 March".
    assert joined(on_19th) == SIX | {"Thanet"}
    assert joined(now) == SIX | {"Thanet"}
    assert [s.key for s in member(now, "Thanet").sources] == ["003"]
    assert ao_of(now, "Thanet") == ["Glenn Douglas"]
    # The record only learnt of it on 27 April: on 20 March it still said opted out.
    assert joined(then) == SIX
    assert statuses(then)["Thanet"] == "opted_out"


def test_19_april_south_kent_coast_pending_and_what_the_record_expected(kent_medway):
    now = selectors.point_in_time_view(day("2018-04-19"))
    then = selectors.point_in_time_view(day("2018-04-19"), day("2018-04-19"))
    before = selectors.point_in_time_view(day("2018-04-18"))

    skc_now = member(now, "South Kent Coast")
    skc_then = member(then, "South Kent Coast")
    # The STP's update for the committee was written before 19 April, the day it expects the
    # decision: as now known, SKC was pending with that decision due by 19 April.
    assert skc_now.status == "pending"
    assert skc_now.expected_decision == day("2018-04-19")
    assert not skc_now.overdue
    # Before then (as now known), and on 19 April as the record then stood, the latest word was
    # the March article: a further meeting "being arranged", no date expected.
    for state in (member(before, "South Kent Coast"), skc_then):
        assert state.status == "pending"
        assert state.expected_decision is None
    assert joined(now) == SIX | {"Thanet"}


def test_the_point_in_time_read_costs_the_same_however_long_the_history(
    kent_medway, django_assert_num_queries
):
    # CCGs, the decision log, the decisions in effect and their sources; assignments,
    # their posts, people and sources: 8 queries with or without known_at.
    with django_assert_num_queries(8):
        selectors.point_in_time_view(day("2018-03-13"))
    with django_assert_num_queries(8):
        selectors.point_in_time_view(day("2018-03-13"), day("2018-03-05"))


# --- The chart's segments -----------------------------------------------------


def test_membership_segments_follow_each_ccg_through_2018(kent_medway):
    lanes = {ccg.name: segments for ccg, segments in selectors.membership_segments().items()}

    thanet = [(s.status, s.start, s.end) for s in lanes["Thanet"]]
    assert thanet == [
        ("opted_out", day("2018-02-27"), day("2018-03-19")),
        ("joined", day("2018-03-19"), None),
    ]
    skc = [(s.status, s.end) for s in lanes["South Kent Coast"]]
    assert skc == [("pending", None)]
    assert [s.status for s in lanes["West Kent"]] == ["joined"]
    # Lanes grouped by locality group, as the dashboard groups them.
    assert list(lanes)[:4] == [
        "Dartford, Gravesham and Swanley",
        "Medway",
        "Swale",
        "West Kent",
    ]


def test_briefing_reads_decisions_since_the_previous_meeting(kent_medway):
    meeting = selectors.previous_meeting(day("2018-04-27"))
    # The 2 March meeting was cancelled (adverse weather), so the last one held was 26 January.
    assert meeting.date == day("2018-01-26")

    changes = selectors.changes_between(day("2018-03-01"), day("2018-04-27"))
    decisions = [e for e in changes.events if e.kind == EventKind.DECISION]

    assert {e.kind for e in changes.events} == {
        EventKind.DECISION,
        EventKind.ASSIGNMENT_START,
        EventKind.ASSIGNMENT_END,
    }
    assert [(e.date, e.ccg.name if e.ccg else None) for e in decisions] == [
        (day("2018-03-05"), "South Kent Coast"),
        (day("2018-03-12"), None),
        (day("2018-03-19"), "Thanet"),
        (day("2018-04-19"), "South Kent Coast"),
    ]
    assert changes.earlier == 0


def test_a_briefing_lists_the_latest_decisions_of_a_long_period_and_counts_the_rest(
    kent_medway,
):
    everything = selectors.changes_between(day("2018-03-01"), day("2018-04-27")).events
    latest = selectors.changes_between(day("2018-03-01"), day("2018-04-27"), limit=2)

    decisions = [e for e in latest.events if e.kind == EventKind.DECISION]
    assert [e.date for e in decisions] == [day("2018-03-19"), day("2018-04-19")]
    # Two decisions and two changes of post; the rest are counted, not listed.
    assert len(latest.events) == 4
    assert latest.earlier == len(everything) - 4


def test_a_briefing_counts_earlier_changes_only_up_to_a_bound_and_says_more_than(
    kent_medway, monkeypatch, client, scrutineer
):
    # A national record has a hundred thousand decisions since a date: counting stops.
    monkeypatch.setattr(selectors, "EARLIER_COUNTED", 1)
    latest = selectors.changes_between(day("2018-03-01"), day("2018-04-27"), limit=2)
    assert (latest.earlier, latest.more) == (2, True)  # one decision and one change of post

    monkeypatch.setattr(selectors, "BRIEFING_DECISIONS", 2)
    client.force_login(scrutineer)
    page = client.get("/briefing/", {"as_at": "2018-04-27", "since": "2018-03-01"})
    text = " ".join(page.content.decode().split())
    assert "are listed; more than 2 earlier changes are on" in text


def test_timeline_event_counts_stay_those_the_services_wrote(kent_medway):
    # A guard for the tests above: the demo data writes one timeline event per change.
    assert TimelineEvent.objects.filter(ccg__slug="thanet").count() == 7


def test_footnotes_number_sources_in_order_of_first_citation(kent_medway):
    s002, s000, s003 = (Source.objects.get(key=k) for k in ("002", "000", "003"))
    notes = selectors.Footnotes()

    assert notes.cite([s002, s000]) == [1, 2]
    assert notes.cite([s003, s002]) == [1, 3]
    assert notes.cite([s000, s000]) == [2]
    assert notes.sources == [s002, s000, s003]


def test_an_end_date_is_the_day_the_person_stopped_in_both_readings(kent_medway):
    # 003: Glenn Douglas took over on 12 March from the CCGs' own officers.
    now = selectors.point_in_time_view(day("2018-03-12"))
    recorded = selectors.point_in_time_view(day("2018-03-12"), day("2018-05-01"))

    assert ao_of(now, "Ashford") == ["Glenn Douglas"]
    assert ao_of(recorded, "Ashford") == ["Glenn Douglas"]
    # Hazel Smith held Thanet's post on 27 February; "with effect from 28 February" she did not.
    assert ao_of(selectors.point_in_time_view(day("2018-02-27")), "Thanet") == ["Hazel Smith"]
    assert ao_of(selectors.point_in_time_view(day("2018-02-28")), "Thanet") == []
    on_27th_then = selectors.point_in_time_view(day("2018-02-27"), day("2018-03-05"))
    assert ao_of(on_27th_then, "Thanet") == ["Hazel Smith"]


def test_the_timeline_puts_a_vague_date_at_the_first_day_it_could_mean(kent_medway):
    events = list(selectors.timeline_events())
    april = next(e for e in events if e.date_display == "April 2018")
    hosc_27_april = next(
        e for e in events if e.kind == "scrutiny_meeting" and e.date == day("2018-04-27")
    )

    # "April 2018" may be any day of April: it is not listed after the 27th.
    assert events.index(april) < events.index(hosc_27_april)
    # And the order is the same as recorded times break ties: the order of sort dates, then ids.
    keys = [(e.sort_date, e.id) for e in events]
    assert keys == sorted(keys)
