"""The membership chart's SVG: one lane per CCG, coloured by status, markers and the date."""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from decisions import services
from decisions.models import Membership
from records.models import Source
from tests.factories import UserFactory

SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.django_db


def day(text):
    return datetime.date.fromisoformat(text)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def svg(client, scrutineer, kent_medway):
    client.force_login(scrutineer)
    page = client.get(reverse("scrutiny:chart"), {"as_at": "2018-03-13"}).content.decode()
    (drawing,) = re.findall(r"<svg xmlns=.*?</svg>", page, flags=re.S)
    return ET.fromstring(drawing)


def lanes(svg):
    return {g.get("data-ccg"): g for g in svg.iter(f"{SVG}g") if g.get("data-ccg")}


def statuses(lane):
    return [rect.get("class").split("--")[1] for rect in lane.iter(f"{SVG}rect")]


def test_one_lane_per_ccg(svg):
    assert sorted(lanes(svg)) == [
        "ashford",
        "canterbury-and-coastal",
        "dartford-gravesham-and-swanley",
        "medway",
        "south-kent-coast",
        "swale",
        "thanet",
        "west-kent",
    ]


def test_each_lane_is_coloured_by_status_over_time(svg):
    by_ccg = lanes(svg)

    # No bar before the STP's update of 27 February: no source gives a status.
    assert statuses(by_ccg["thanet"]) == ["opted-out", "joined"]
    assert statuses(by_ccg["south-kent-coast"]) == ["pending"]
    assert statuses(by_ccg["ashford"]) == ["joined"]
    assert statuses(by_ccg["west-kent"]) == ["joined"]
    fills = {rect.get("class"): rect.get("fill") for rect in svg.iter(f"{SVG}rect")}
    assert fills["chart-bar chart-bar--joined"] == "#007f3b"
    assert fills["chart-bar chart-bar--opted-out"] == "#d5281b"
    # Bars in one lane follow each other left to right without gaps.
    bars = list(by_ccg["thanet"].iter(f"{SVG}rect"))
    for left, right in zip(bars, bars[1:], strict=False):
        end = float(left.get("x")) + float(left.get("width"))
        assert abs(end - float(right.get("x"))) < 0.2


def test_decisions_meetings_and_the_chosen_date_are_marked(svg):
    by_ccg = lanes(svg)

    thanet_decisions = [p.find(f"{SVG}title").text for p in by_ccg["thanet"].iter(f"{SVG}polygon")]
    assert thanet_decisions == [
        "Decision: Decided not to join (by 27 February 2018)",
        "Decision: Agreed to join (19 March 2018)",
    ]
    meetings = [g for g in svg.iter(f"{SVG}g") if "chart-meeting" in (g.get("class") or "")]
    labels = [g.find(f"{SVG}text").text for g in meetings]
    assert labels == ["HOSC 26 Jan", "HOSC 2 Mar (cancelled)", "HOSC 27 Apr"]
    assert "chart-meeting--cancelled" in meetings[1].get("class")
    (selected,) = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "chart-selected"]
    assert selected.find(f"{SVG}text").text == "13 March 2018"
    # The chosen date sits between the cancelled 2 March meeting and Thanet's joining.
    x = float(selected.find(f"{SVG}line").get("x1"))
    assert float(meetings[1].find(f"{SVG}line").get("x1")) < x
    joining = list(by_ccg["thanet"].iter(f"{SVG}rect"))[-1]
    assert x < float(joining.get("x"))


def test_the_svg_has_a_title_for_screen_readers(svg):
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text.startswith("Membership of the strategic commissioner")


def test_the_table_alternative_keeps_each_date_as_precise_as_its_source(
    client, scrutineer, kent_medway
):
    client.force_login(scrutineer)

    response = client.get(reverse("scrutiny:chart"), {"as_at": "2018-03-13"})

    lanes = {lane.ccg.name: lane for lane in response.context["chart"].lanes}
    assert lanes["Thanet"].periods == [
        "Opted out, by 27 February 2018 to 19 March 2018",
        "Joined, from 19 March 2018 on",
    ]
    page = response.content.decode()
    assert "<li>Opted out, by 27 February 2018 to 19 March 2018</li>" in page
    assert (
        "2 March 2018: Kent County Council Health Overview and Scrutiny Committee, cancelled"
        in page
    )


def test_the_chart_opens_on_the_months_with_events(client, scrutineer, kent_medway):
    """Today is years after 2018: the chart still opens on 2018, not squeezed into a corner."""
    client.force_login(scrutineer)

    response = client.get(reverse("scrutiny:chart"))

    chart = response.context["chart"]
    # The first HOSC meeting (26 January) to the last (27 April), half a month either side.
    assert (chart.start, chart.last_day) == (day("2018-01-01"), day("2018-05-31"))
    assert [tick.label for tick in chart.ticks] == [
        "Jan 2018",
        "Feb 2018",
        "Mar 2018",
        "Apr 2018",
        "May 2018",
    ]
    assert chart.selected_outside == "after"
    page = text(response)
    assert (
        "The chart shows January 2018 to May 2018, the months in which the record has events"
        in page
    )
    assert "is after this span, so it is not drawn" in page


def test_the_chart_can_be_widened_to_a_date_far_from_the_record(client, scrutineer, kent_medway):
    client.force_login(scrutineer)
    response = client.get(reverse("scrutiny:chart"), {"as_at": "1990-06-30"})
    links = dict(response.context["spans"])
    assert links["Widen the chart by three months either side"] == (
        "?as_at=1990-06-30&date_from=2017-10-01&date_to=2018-08-01"
    )

    response = client.get(reverse("scrutiny:chart") + links["Show from 30 June 1990"])

    chart = response.context["chart"]
    assert response.status_code == 200
    assert (chart.start, chart.last_day) == (day("1990-06-01"), day("2018-05-31"))
    assert 6 <= len(chart.ticks) <= 20
    assert chart.selected.label == "30 June 1990" and not chart.selected_outside
    assert chart.lanes[0].status_on_date == "Not yet recorded"
    assert "Show the span of the record’s events" in dict(response.context["spans"])


def test_a_span_the_wrong_way_round_is_explained(client, scrutineer, kent_medway):
    client.force_login(scrutineer)

    response = client.get(
        reverse("scrutiny:chart"), {"date_from": "2018-05-01", "date_to": "2018-01-01"}
    )

    assert response.status_code == 400
    assert "The &#x27;show to&#x27; date must be on or after the &#x27;show from&#x27; date." in (
        response.content.decode()
    )


def test_a_ccg_that_changed_every_day_is_drawn_as_a_reader_can_see_it(
    client, scrutineer, kent_medway
):
    """150 changes in 150 days on a chart two years wide: under a pixel a day, so most are
    too brief to draw. Each pixel shows the last status in it, the lane has at most
    one bar per pixel, and the table lists the latest periods with the rest a link away."""
    thanet = Membership.objects.get(ccg__slug="thanet")
    user, source = UserFactory(), Source.objects.get(key="003")
    first = datetime.date(2018, 6, 1)
    for n in range(150):
        services.decision_record(
            ccg=thanet.ccg,
            body="governing_body",
            outcome="declined" if n % 2 else "agreed",
            meeting_date=first + datetime.timedelta(days=n),
            effective_date=first + datetime.timedelta(days=n),
            summary="Changed its mind again.",
            sources=[source],
            reason=f"Test change {n}",
            user=user,
        )
    client.force_login(scrutineer)
    params = {"as_at": "2018-10-28", "date_from": "2018-01-01", "date_to": "2019-12-31"}
    response = client.get(reverse("scrutiny:chart"), params)
    (drawing,) = re.findall(r"<svg xmlns=.*?</svg>", response.content.decode(), flags=re.S)
    lane = lanes(ET.fromstring(drawing))["thanet"]

    bars = list(lane.iter(f"{SVG}rect"))
    assert 50 < len(bars) < 150
    assert all(float(bar.get("width")) >= 1 for bar in bars)
    titles = [bar.find(f"{SVG}title").text for bar in bars]
    assert any("too brief to draw at this scale" in title for title in titles)
    # The last change (the 150th, declined) holds from 28 October 2018 on, and is drawn so.
    assert statuses(lane)[-1] == "opted-out"
    assert titles[-1].startswith("Thanet: opted out, from 28 October 2018 on")
    # Markers that would overlap are one, titled with how many it stands for.
    markers = list(lane.iter(f"{SVG}polygon"))
    centres = sorted(float(marker.get("points").split(",")[0]) for marker in markers)
    assert all(right - left >= 12 for left, right in itertools.pairwise(centres))
    assert any("decisions here; the last:" in m.find(f"{SVG}title").text for m in markers)
    row = response.context["chart"].lanes
    thanet_row = next(row for row in row if row.ccg.slug == "thanet")
    assert thanet_row.status_on_date == "Opted out"
    assert len(thanet_row.periods) == 20
    assert "earlier, on" in text(response) and 'href="/ccgs/thanet/"' in response.content.decode()

    # Narrowed to a month, every change in it is drawn.
    response = client.get(
        reverse("scrutiny:chart"),
        {"as_at": "2018-10-28", "date_from": "2018-07-01", "date_to": "2018-07-31"},
    )
    (drawing,) = re.findall(r"<svg xmlns=.*?</svg>", response.content.decode(), flags=re.S)
    july = statuses(lanes(ET.fromstring(drawing))["thanet"])
    assert len(july) >= 31
    assert "joined" in july and "opted-out" in july


def test_a_decision_whose_source_gives_no_date_is_in_the_table_not_left_out(
    client, scrutineer, kent_medway
):
    """A deferral that says only when a decision is expected has no day for a marker; the
    table still lists it rather than saying that no decision was recorded."""
    swale = Membership.objects.get(ccg__slug="swale").ccg
    services.decision_record(
        ccg=swale,
        body="gp_membership",
        outcome="deferred",
        expected_date=datetime.date(2018, 9, 30),
        expected_date_precision="month",
        summary="The members will decide in September.",
        sources=[Source.objects.get(key="003")],
        reason="Test: a deferral with no date of its own",
        user=UserFactory(),
    )
    client.force_login(scrutineer)

    response = client.get(reverse("scrutiny:chart"), {"as_at": "2018-10-01"})

    lane = next(lane for lane in response.context["chart"].lanes if lane.ccg.slug == "swale")
    label = (
        "Decision: Asked for more information; decision deferred "
        "(date not stated; a decision expected September 2018)"
    )
    assert lane.listed[-1] == label
    assert f"<li>{label}</li>" in response.content.decode()
