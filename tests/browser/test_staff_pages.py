"""Staff pages in Chromium: record a decision, see the dashboard change, be refused
when not allowed, and lose a race for the same form without losing anything."""

import re

import pytest
from playwright.sync_api import expect

from decisions.models import Decision, Membership
from records.models import Source

from .axe import assert_accessible
from .conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, name, day, month, year):
    page.locator(f"#id_{name}_day").fill(day)
    page.locator(f"#id_{name}_month").fill(month)
    page.locator(f"#id_{name}_year").fill(year)


def test_staff_record_south_kent_coasts_joining_and_the_dashboard_counts_eight(
    page, live_server, staff, kent_medway
):
    signed_in(page, live_server, staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("7 of 8 CCGs have joined")
    assert_accessible(page)

    page.get_by_role("link", name="South Kent Coast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("South Kent Coast CCG")
    assert_accessible(page)

    page.get_by_role("button", name="Record a decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a decision")
    assert_accessible(page)

    page.get_by_label("GP membership").check()
    page.get_by_label("Agreed to join").check()
    fill_date(page, "meeting_date", "30", "4", "2018")
    page.get_by_label("How exact is the meeting date?").select_option("on_or_before")
    fill_date(page, "effective_date", "30", "4", "2018")
    page.get_by_label("How exact is the date it takes effect?").select_option("on_or_before")
    page.get_by_label("Summary").fill("The GP member practices agreed to join.")
    page.get_by_label("Choose an existing source").select_option(
        str(Source.objects.get(key="003").pk)
    )

    # Forgetting the reason is refused: the error summary says so, the input stays.
    page.get_by_role("button", name="Record the decision").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Give the reason for this change.")
    expect(page.get_by_label("Summary")).to_have_value("The GP member practices agreed to join.")
    expect(page.locator("#id_meeting_date_day")).to_have_value("30")
    assert_accessible(page)
    assert Membership.objects.get(ccg__slug="south-kent-coast").status == "pending"

    # The error summary's link takes the keyboard to the field.
    summary.get_by_role("link", name="Give the reason for this change.").click()
    expect(page.get_by_label("Reason for this change")).to_be_focused()
    page.keyboard.type("South Kent Coast confirmed its GP members' vote")
    page.get_by_role("button", name="Record the decision").click()

    panel = page.locator(".nhsuk-panel")
    expect(panel).to_contain_text("Decision recorded")
    expect(panel).to_contain_text("membership is now Joined. In effect: by 30 April 2018.")
    assert_accessible(page)

    page.get_by_role("link", name="Go to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("8 of 8 CCGs have joined")
    assert_accessible(page)

    # The CCG page's history names the user and the reason.
    page.get_by_role("link", name="South Kent Coast").click()
    latest = page.locator("tr.history-entry").first
    expect(latest).to_contain_text("Pat Staff")
    expect(latest).to_contain_text("South Kent Coast confirmed its GP members' vote")
    expect(latest).to_contain_text("Pending")
    expect(latest).to_contain_text("Joined")
    assert_accessible(page)


def test_a_scrutiny_user_sees_no_edit_button_and_is_refused_the_form(
    page, live_server, scrutineer, kent_medway
):
    signed_in(page, live_server, scrutineer)
    page.goto(f"{live_server.url}/ccgs/thanet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thanet CCG")
    expect(page.get_by_role("button", name="Record a decision")).to_have_count(0)
    expect(page.get_by_role("link", name="Record a decision")).to_have_count(0)
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/ccgs/thanet/decisions/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to do this"
    )
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/sources/new/")
    assert response.status == 403


def fill_thanet_decision(page, summary, reason):
    page.get_by_label("Governing body").check()
    page.get_by_label("Asked for more information; decision deferred").check()
    fill_date(page, "meeting_date", "10", "5", "2018")
    fill_date(page, "expected_date", "", "6", "2018")
    page.get_by_label("Summary").fill(summary)
    page.get_by_label("Choose an existing source").select_option(
        str(Source.objects.get(key="003").pk)
    )
    page.get_by_label("Reason for this change").fill(reason)


def test_two_people_submit_thanets_form_and_the_stale_one_is_refused_with_its_input_kept(
    new_page, live_server, staff, admin, kent_medway
):
    first = signed_in(new_page(), live_server, staff, next_path="/ccgs/thanet/decisions/new/")
    second = signed_in(new_page(), live_server, admin, next_path="/ccgs/thanet/decisions/new/")
    for page in (first, second):
        expect(page.get_by_role("heading", level=1)).to_have_text("Record a decision")
    fill_thanet_decision(first, "First: deferred to June.", "Staff saw the May minutes")
    fill_thanet_decision(second, "Second: deferred to June.", "Admin saw the May minutes")
    decisions_before = Decision.objects.count()
    history_before = Membership.history.filter(ccg__slug="thanet").count()

    first.get_by_role("button", name="Record the decision").click()
    second.get_by_role("button", name="Record the decision").click()
    # A click does not wait for the answer: wait for each page's result before counting.
    for page in (first, second):
        expect(page.locator(".nhsuk-panel").or_(page.locator("#stale-edit"))).to_be_visible()

    winners = [p for p in (first, second) if p.locator(".nhsuk-panel").count()]
    losers = [p for p in (first, second) if p.locator("#stale-edit").count()]
    assert (len(winners), len(losers)) == (1, 1)
    loser = losers[0]
    expect(loser.locator("#stale-edit")).to_contain_text("changed since you opened this form")
    changes = loser.locator(".stale-change")
    expect(changes).to_have_count(1)
    winner_name = "Pat Staff" if winners[0] is first else "Ari Admin"
    expect(changes).to_contain_text(winner_name)
    expect(changes).to_contain_text("changed from Joined to Pending")
    # The loser's input is kept for them to check and send again.
    expect(loser.get_by_label("Summary")).to_have_value(re.compile(r"deferred to June"))
    assert_accessible(winners[0])
    assert_accessible(loser)

    assert Decision.objects.count() == decisions_before + 1
    assert Membership.history.filter(ccg__slug="thanet").count() == history_before + 1

    # Resubmitting against the version they have now seen is accepted.
    loser.get_by_role("button", name="Record the decision again").click()
    expect(loser.locator(".nhsuk-panel")).to_contain_text("Decision recorded")
    assert Decision.objects.count() == decisions_before + 2


def test_staff_add_a_source_document_and_return_to_the_ccg(page, live_server, staff, kent_medway):
    signed_in(page, live_server, staff, next_path="/ccgs/thanet/")
    page.get_by_role("button", name="Add a source document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a source document")

    page.get_by_role("button", name="Add the source").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Give the source's title.")
    assert_accessible(page)

    page.get_by_label("Title").fill("Thanet CCG governing body minutes, May 2018")
    page.get_by_label("Publisher", exact=True).fill("Thanet CCG")
    fill_date(page, "published", "", "5", "2018")
    page.get_by_label("Quoted passage").fill("The governing body noted the update.")
    page.get_by_role("button", name="Add the source").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thanet CCG")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Source added: Thanet CCG governing body minutes, May 2018"
    )
    assert_accessible(page)
    assert (
        Source.objects.get(title__startswith="Thanet CCG governing body minutes").published_display
        == "May 2018"
    )


def test_double_clicking_record_records_one_decision(page, live_server, staff, kent_medway):
    signed_in(page, live_server, staff, next_path="/ccgs/south-kent-coast/decisions/new/")
    before = Decision.objects.count()
    page.get_by_label("Governing body").check()
    page.get_by_label("Noted; no change to membership").check()
    page.get_by_label("Summary").fill("The governing body noted the update.")
    page.get_by_label("Choose an existing source").select_option(
        str(Source.objects.get(key="003").pk)
    )
    page.get_by_label("Reason for this change").fill("Minutes of the May meeting")

    page.get_by_role("button", name="Record the decision").dblclick()

    expect(page.locator(".nhsuk-panel, #stale-edit").first).to_be_visible()
    assert Decision.objects.count() == before + 1


def test_staff_correct_a_decision_and_the_ccg_page_marks_the_original(
    page, live_server, staff, kent_medway
):
    thanet = Decision.objects.get(ccg__slug="thanet", outcome="agreed")
    signed_in(page, live_server, staff, next_path="/ccgs/thanet/")
    page.locator(f"#decision-{thanet.pk}").get_by_role("link", name="Correct").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct a decision")
    assert_accessible(page)

    page.locator("#id_effective_date_day").fill("20")
    page.get_by_label("Reason for this change").fill("The minutes say 20 March")
    page.get_by_role("button", name="Record the correction").click()
    expect(page.locator(".nhsuk-panel")).to_contain_text("Decision recorded")

    page.goto(f"{live_server.url}/ccgs/thanet/")
    original = page.locator(f"#decision-{thanet.pk}")
    expect(original).to_contain_text("Corrected on")
    expect(original).to_contain_text("The minutes say 20 March")
    assert_accessible(page)
