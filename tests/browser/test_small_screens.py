"""Phones and zoom (issue 12, item 4): every page at 375 pixels wide and at 200% zoom
passes axe and does not scroll sideways as a whole; the timeline's filters fold away; the
subscription addresses have copy buttons. Screenshots of the main pages at 1280 and 375
pixels go to test-artifacts/screens/ (CI keeps the folder)."""

import pytest
from playwright.sync_api import expect

from roles.models import Assignment

from .axe import assert_accessible
from .conftest import open_page, save_screenshot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READ_PAGES = [
    "/",
    "/ccgs/thanet/",
    "/timeline/",
    "/as-at/?as_at=2018-03-01&known_at=2018-03-01",
    "/chart/?as_at=2018-03-13",
    "/briefing/?as_at=2018-04-27",
    "/team/?as_at=2018-04-27",
    "/functions/",
    "/subscribe/",
    "/search/?q=thanet",
    "/help/",
    "/accessibility/",
]
STAFF_PAGES = ["/ccgs/thanet/decisions/new/", "/sources/new/"]

# 200% zoom of a 1280-pixel window: 640 CSS pixels, each drawn twice as large.
SIZES = {"375px": {"width": 375, "height": 812}, "200% zoom": {"width": 640, "height": 400}}


def open_at(browser, live_server, user, size, path):
    page = open_page(
        browser, viewport=SIZES[size], device_scale_factor=2 if size == "200% zoom" else 1
    )
    signed_in(page, live_server, user, path)
    return page


def assert_no_sideways_scroll(page):
    width = page.viewport_size["width"]
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width + 1, f"{page.url} is {overflow} pixels wide at {width}"


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_passes_axe_on_a_phone_and_at_200_percent_zoom(
    browser, live_server, scrutineer, staff, kent_medway, size
):
    failures = []
    for user, paths in ((scrutineer, READ_PAGES), (staff, STAFF_PAGES)):
        page = open_at(browser, live_server, user, size, paths[0])
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            try:
                expect(page.locator("main h1").first).to_be_visible()
                assert_no_sideways_scroll(page)
                assert_accessible(page)
            except AssertionError as error:
                failures.append(f"{path} at {size}: {error}")
        page.context.close()
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_main_pages(
    new_page, live_server, scrutineer, admin, kent_medway, width
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, live_server, scrutineer, "/")
    for name, path in (
        ("dashboard", "/"),
        ("timeline", "/timeline/"),
        ("team", "/team/?as_at=2018-04-27"),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1").first).to_be_visible()
        save_screenshot(page, name)

    admin_page = new_page()
    admin_page.set_viewport_size({"width": width, "height": 900})
    hazel = Assignment.objects.filter(person__name="Hazel Smith").order_by("pk").first()
    signed_in(admin_page, live_server, admin, f"/admin/roles/assignment/{hazel.pk}/history/")
    expect(admin_page.locator("#change-history")).to_be_visible()
    save_screenshot(admin_page, "admin-history")


def test_the_timeline_filters_fold_away_on_a_phone(browser, live_server, scrutineer, kent_medway):
    page = open_at(browser, live_server, scrutineer, "375px", "/timeline/")

    filters = page.locator("details#filters")
    expect(filters).not_to_have_attribute("open", "")
    first_event = page.locator(".scrutiny-timeline__event").first
    assert first_event.bounding_box()["y"] < 1000
    page.get_by_text("Filter", exact=True).click()
    page.get_by_label("CCG", exact=True).select_option(label="Thanet")
    page.get_by_role("button", name="Show events").click()
    # With a filter in use the filters stay open, to change or clear.
    expect(page.locator("details#filters")).to_have_attribute("open", "")
    page.context.close()


def test_each_subscription_address_has_a_copy_button(browser, live_server, scrutineer, kent_medway):
    page = open_at(browser, live_server, scrutineer, "375px", "/subscribe/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    address = page.locator("#calendar-url").inner_text()
    page.get_by_role("button", name="Copy the calendar address").click()

    expect(page.get_by_role("status")).to_have_text(
        "Copied. Paste it into your calendar or feed reader."
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == address
    assert_no_sideways_scroll(page)
    page.context.close()
