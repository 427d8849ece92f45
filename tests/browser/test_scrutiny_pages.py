"""A scrutiny officer in Chromium: the timeline filtered to Thanet, the pages checked
with axe-core, and the briefing printed to an A4 PDF."""

import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import ARTIFACTS, follow, save_screenshot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_page_count(pdf: bytes) -> int:
    """Pages in a PDF: Chromium writes each page as a /Type /Page object."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_a_scrutiny_officer_filters_the_timeline_to_thanet(
    page, live_server, scrutineer, kent_medway
):
    signed_in(page, live_server, scrutineer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    assert_accessible(page)

    # The filters are folded away until asked for.
    expect(page.get_by_label("CCG", exact=True)).to_be_hidden()
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("CCG", exact=True).select_option(label="Thanet")
    follow(page, page.get_by_role("button", name="Show events"))

    # The filtered view has its own address, to bookmark or share.
    expect(page).to_have_url(re.compile(r"/timeline/\?ccg=thanet"))
    events = page.locator(".scrutiny-timeline__event")
    titles = events.locator("h2").all_inner_texts()
    opted_out = titles.index("Thanet: membership status now opted out")
    joined = titles.index("Thanet: membership status now joined")
    assert opted_out < joined
    opt_out_card = events.nth(opted_out)
    expect(opt_out_card).to_contain_text("by 27 February 2018")
    expect(opt_out_card.locator(".scrutiny-sources")).to_contain_text(
        "Kent and Medway Strategic Commissioner Update February 2018"
    )
    joined_card = events.nth(joined)
    expect(joined_card).to_contain_text("19 March 2018")
    # The committee paper's address is its background document: the link says so, and the
    # title is not linked as if it were the paper.
    expect(joined_card).to_contain_text("Item 4: Kent and Medway Strategic Commissioner")
    expect(
        joined_card.get_by_role("link", name=re.compile("^Background document named in the report"))
    ).to_have_attribute("href", re.compile(r"^https://democracy\.kent\.gov\.uk/"))
    expect(joined_card.get_by_role("link", name=re.compile("^Item 4"))).to_have_count(0)
    assert_accessible(page)

    # As recorded on 1 March, the joining had not happened and was not known.
    page.get_by_label("As recorded on").fill("2018-03-01")
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_url(re.compile(r"known_at=2018-03-01"))
    expect(page.locator(".scrutiny-timeline__event h2", has_text="now joined")).to_have_count(0)
    expect(page.locator(".scrutiny-timeline__event h2", has_text="now opted out")).to_have_count(1)


def test_a_bad_filter_shows_the_error_summary(page, live_server, scrutineer, kent_medway):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}/timeline/?date_from=1+March")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("The 'from' date must be a date written YYYY-MM-DD")
    expect(page).to_have_title(re.compile(r"^Error: Timeline"))
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("From")).to_be_focused()
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/as-at/?as_at=2018-03-01&known_at=2018-03-01",
        "/chart/?as_at=2018-03-13",
        "/briefing/?as_at=2018-04-27",
        "/timeline/?kind=scrutiny_meeting&kind=decision",
    ],
)
def test_the_scrutiny_pages_pass_axe(page, live_server, scrutineer, kent_medway, path):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}{path}")

    expect(page.locator("main h1")).to_be_visible()
    assert_accessible(page)


def test_in_effect_beside_as_recorded_on_5_march(page, live_server, scrutineer, kent_medway):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}/as-at/?as_at=2018-03-13&known_at=2018-03-05")

    # Glenn Douglas from 12 March, known only from the committee paper of April.
    ashford = page.locator("#ccg-ashford")
    expect(ashford.locator('[data-column="in-effect"]')).to_contain_text(
        "Accountable officer: Glenn Douglas"
    )
    expect(ashford.locator('[data-column="as-recorded"]')).to_contain_text(
        "Accountable officer: none recorded"
    )
    expect(ashford).to_contain_text("Differs")


def test_the_briefing_prints_to_a_clean_a4_pdf(page, live_server, scrutineer, kent_medway):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}/briefing/?as_at=2018-04-27")
    expect(page.get_by_role("heading", level=1)).to_contain_text("position as at 27 April 2018")

    page.emulate_media(media="print")
    # Print shows the paper only: no site header, menu, form or footer.
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.locator(".scrutiny-filters")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(page.locator(".briefing__footnotes li").first).to_be_visible()
    # On A4 each footnote mark ("[1, 2]") stays on one line, and each source's address
    # wraps inside its footnote, at the places the page marks.
    page.set_viewport_size({"width": 680, "height": 1000})
    lines_per_mark = page.eval_on_selector_all(
        ".briefing__ref",
        "marks => marks.map(mark => new Set([...mark.getClientRects()]"
        ".map(rect => Math.round(rect.bottom))).size)",
    )
    assert lines_per_mark and set(lines_per_mark) == {1}
    overflowing = page.eval_on_selector_all(
        ".briefing__url",
        "links => links.filter(a => a.getBoundingClientRect().right"
        " > a.closest('li').getBoundingClientRect().right + 1).length",
    )
    assert overflowing == 0

    pdf = page.pdf(format="A4", print_background=True)

    assert pdf.startswith(b"%PDF")
    # Three pages since the paper also quotes both sides wherever the sources disagree.
    assert pdf_page_count(pdf) == 3
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "briefing.pdf").write_bytes(pdf)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_briefing_has_a_print_button_and_says_who_prepared_it(
    new_page, live_server, scrutineer, kent_medway, width
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    # Count print() calls instead of opening the dialogue (the script runs outside the page's CSP).
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    signed_in(page, live_server, scrutineer, "/briefing/?as_at=2018-04-27")

    prepared = " ".join(page.locator("#prepared").inner_text().split())
    assert re.fullmatch(
        r"Prepared on \d{1,2} \w+ \d{4} by Lee Scrutiny, as recorded on \d{1,2} \w+ \d{4}\.",
        prepared,
    ), prepared
    expect(page.locator("#posts-filled")).to_contain_text("5 of 9 posts filled")
    expect(page.locator(".briefing__list").first).to_contain_text("Hazel Smith")
    page.get_by_role("button", name="Print this briefing").click()
    assert page.evaluate("() => window.printed") == 1
    assert_accessible(page)
    save_screenshot(page, "briefing")


def test_later_and_earlier_events_page_through_the_timeline(
    page, live_server, scrutineer, kent_medway
):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}/timeline/")
    # Whole cards: two events may share a title (South Kent Coast deferred twice) but not a date.
    first_page = page.locator(".scrutiny-timeline__event").all_inner_texts()
    expect(page.get_by_role("link", name="Earlier events")).to_have_count(0)

    follow(page, page.get_by_role("link", name="Later events"))

    expect(page).to_have_url(re.compile(r"/timeline/\?after=\d{4}-\d{2}-\d{2},\d+$"))
    second_page = page.locator(".scrutiny-timeline__event").all_inner_texts()
    assert second_page and not set(second_page) & set(first_page)
    # The last event the record holds: the earliest a single CCG could come (April 2019).
    titles = page.locator(".scrutiny-timeline__event h2").all_inner_texts()
    assert titles[-1] == "A single CCG possible, no earlier than April 2019"
    follow(page, page.get_by_role("link", name="Earlier events"))
    assert page.locator(".scrutiny-timeline__event").all_inner_texts() == first_page


def test_the_dashboard_prints_without_its_form_and_keeps_headings_with_tables(
    page, live_server, scrutineer, kent_medway
):
    signed_in(page, live_server, scrutineer, "/?as_at=2018-03-13")
    expect(page.get_by_role("button", name="Show the record")).to_be_visible()

    page.emulate_media(media="print")

    expect(page.get_by_role("button", name="Show the record")).to_be_hidden()
    expect(page.locator("main form")).to_be_hidden()
    for heading in page.locator("main h2").all():
        assert heading.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "screens").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "screens" / "dashboard.pdf").write_bytes(pdf)
    assert pdf_page_count(pdf) <= 2
