"""The membership chart in Chromium: it opens on 2018, can be widened, and no label
overlaps another, a bar, or the edge of the drawing, at 1280 and 375 pixels wide."""

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import follow, save_screenshot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every text and shape of the drawing, as the browser laid it out.
BOXES = """() => {
  const svg = document.querySelector('.scrutiny-chart__svg');
  const box = (el) => { const r = el.getBoundingClientRect();
    return {text: el.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            kind: el.getAttribute('class') || el.parentNode.getAttribute('class') || ''}; };
  return {
    frame: box(svg),
    texts: [...svg.querySelectorAll('text')].map(box),
    shapes: [...svg.querySelectorAll('rect, polygon')].map(box),
  };
}"""


def overlap(a, b):
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def assert_labels_clear(page):
    boxes = page.evaluate(BOXES)
    frame, texts = boxes["frame"], boxes["texts"]
    assert len(texts) > 10
    for text in texts:
        assert frame["left"] <= text["left"] and text["right"] <= frame["right"] + 0.5, text
        assert frame["top"] <= text["top"] and text["bottom"] <= frame["bottom"] + 0.5, text
    clashes = [
        (a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if overlap(a, b)
    ]
    assert not clashes, clashes
    lane_labels = [t for t in texts if "chart-lane__label" in t["kind"]]
    assert len(lane_labels) == 8
    hidden = [(t["text"], s["kind"]) for t in lane_labels for s in boxes["shapes"] if overlap(t, s)]
    assert not hidden, hidden


@pytest.mark.parametrize("width", [1280, 375])
def test_the_chart_opens_on_2018_with_every_label_clear(
    new_page, live_server, scrutineer, kent_medway, width
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, live_server, scrutineer, "/chart/?as_at=2018-03-13")

    expect(page.locator("#chart-span")).to_contain_text("The chart shows January 2018 to May 2018")
    ticks = page.locator(".chart-tick").all_text_contents()
    assert ticks == ["Jan 2018", "Feb 2018", "Mar 2018", "Apr 2018", "May 2018"]
    assert_labels_clear(page)
    # No sideways scroll of the page: only the chart's own region scrolls, and it is focusable.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    region = page.get_by_role("region", name="Membership chart")
    expect(region).to_have_attribute("tabindex", "0")
    assert_accessible(page)
    save_screenshot(page, "chart")


def test_the_chart_widens_and_keeps_its_labels_clear(
    new_page, live_server, scrutineer, kent_medway
):
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in(page, live_server, scrutineer, "/chart/")
    expect(page.locator("#chart-span")).to_contain_text("is after this span, so it is not drawn")

    follow(page, page.get_by_role("link", name="Widen the chart by three months either side"))
    expect(page.locator("#chart-span")).to_contain_text("October 2017 to August 2018")
    assert_labels_clear(page)

    follow(page, page.get_by_role("link", name="Show up to"))
    expect(page.locator(".chart-selected text")).to_be_visible()
    assert_labels_clear(page)
