"""A scrutiny officer finds their personal calendar address and a calendar program uses it."""

import urllib.request

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_personal_calendar_address_works_outside_the_browser(
    page, live_server, scrutineer, kent_medway
):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}/timeline/")
    page.get_by_role("navigation", name="Scrutiny pages").get_by_role(
        "link", name="Subscribe"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Subscribe to the calendar and the changes feed"
    )
    assert_accessible(page)

    address = page.locator("#calendar-url").inner_text()
    # A calendar program has no session cookie: fetch the address as one would.
    with urllib.request.urlopen(address) as response:  # noqa: S310 - the test's own server
        body = response.read().decode()

    assert body.startswith("BEGIN:VCALENDAR")
    assert "South Kent Coast" in body
