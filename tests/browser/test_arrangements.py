"""A second arrangement in Chromium: switch the dashboard to it, record a decision against
it, and see its status and history change while the 2018 record stays as it was."""

import pytest
from playwright.sync_api import expect

from decisions.models import Membership
from records.models import Source
from tests.factories import second_arrangement

from .axe import assert_accessible
from .conftest import signed_in
from .test_staff_pages import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_decision_on_the_merger_and_the_2018_record_is_unchanged(
    page, live_server, staff, kent_medway
):
    merger = second_arrangement()
    story = Membership.objects.get(
        ccg__slug="south-kent-coast", commissioner__slug=("kent-and-medway-strategic-commissioner")
    )
    story_history = story.history.count()
    signed_in(page, live_server, staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("7 of 8 CCGs have joined")

    switch = page.get_by_test_id("arrangement-switch")
    expect(switch).to_contain_text("This page shows Kent and Medway strategic commissioner")
    switch.get_by_role("link", name="Kent and Medway single CCG").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("0 of 8 CCGs have joined")
    expect(page.locator(".nhsuk-caption-l").first).to_have_text(
        "Membership of Kent and Medway single CCG"
    )
    assert_accessible(page)

    page.get_by_role("link", name="South Kent Coast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("South Kent Coast CCG")
    expect(page.locator("#membership-summary")).to_contain_text("No record yet")
    page.get_by_role("button", name="Record a decision").click()
    expect(page.locator(".nhsuk-caption-l")).to_have_text(
        "South Kent Coast CCG: Kent and Medway single CCG"
    )
    assert_accessible(page)

    page.get_by_label("GP membership").check()
    page.get_by_label("Agreed to join").check()
    fill_date(page, "meeting_date", "20", "9", "2018")
    fill_date(page, "effective_date", "1", "4", "2019")
    page.get_by_label("Summary").fill("The GP members agreed to merge into one CCG.")
    page.get_by_label("Choose an existing source").select_option(
        str(Source.objects.get(key="003").pk)
    )
    page.get_by_label("Reason for this change").fill("Vote on the merger reported by the CCG")
    page.get_by_role("button", name="Record the decision").click()

    panel = page.locator(".nhsuk-panel")
    expect(panel).to_contain_text("membership is now Joined. In effect: 1 April 2019.")
    expect(panel).to_contain_text("This is its membership of Kent and Medway single CCG.")
    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1 of 8 CCGs have joined")

    page.get_by_role("link", name="South Kent Coast").click()
    latest = page.locator("tr.history-entry").first
    expect(latest).to_contain_text("Vote on the merger reported by the CCG")
    expect(latest).to_contain_text("Joined")
    moved = Membership.objects.get(ccg__slug="south-kent-coast", commissioner=merger)
    assert moved.status == "joined"
    assert moved.history.latest("history_date").history_user == staff
    story.refresh_from_db()
    assert story.status == "pending"
    assert story.history.count() == story_history

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("7 of 8 CCGs have joined")
    # Without ?arrangement= the form of a CCG in both asks which the decision is about.
    page.goto(f"{live_server.url}/ccgs/south-kent-coast/decisions/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which arrangement is the decision about?"
    )
    assert_accessible(page)
