"""The membership chart's SVG: one lane per CCG, coloured by status, markers and the date."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.django_db


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

    assert statuses(by_ccg["thanet"]) == ["considering", "opted-out", "joined"]
    assert statuses(by_ccg["south-kent-coast"]) == ["considering", "pending"]
    assert statuses(by_ccg["ashford"]) == ["considering", "joined"]
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
        "Considering, by January 2018 to by 27 February 2018",
        "Opted out, by 27 February 2018 to 19 March 2018",
        "Joined, from 19 March 2018 on",
    ]
    page = response.content.decode()
    assert "<li>Opted out, by 27 February 2018 to 19 March 2018</li>" in page
    assert (
        "2 March 2018: Kent County Council Health Overview and Scrutiny Committee, cancelled"
        in page
    )


def test_a_date_far_from_the_record_still_draws_a_readable_axis(client, scrutineer, kent_medway):
    client.force_login(scrutineer)

    response = client.get(reverse("scrutiny:chart"), {"as_at": "1990-06-30"})

    chart = response.context["chart"]
    assert response.status_code == 200
    assert 6 <= len(chart.ticks) <= 13
    assert chart.selected.label == "30 June 1990"
    assert chart.lanes[0].status_on_date == "Not yet recorded"
