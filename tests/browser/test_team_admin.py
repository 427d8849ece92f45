"""An admin records a change to the shared team in the Django admin; the team page shows it."""

import pytest
from playwright.sync_api import expect

from roles.models import Assignment

from .axe import assert_accessible
from .conftest import signed_in

ITEM_4 = "Item 4: Kent and Medway Strategic Commissioner (April 2018)"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, field, text):
    """Choose ``text`` in the admin's searchable picker (autocomplete) for ``field``: type
    part of it, then click the match, as an admin does."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").last.fill(text[:12])
    page.locator(".select2-results__option", has_text=text).first.click()


def test_admin_ends_an_assignment_and_adds_a_new_one_and_the_team_page_shows_it(
    page, new_page, live_server, admin, kent_medway
):
    signed_in(page, live_server, admin)

    # End Hazel Smith's transitional directorship: one action asking for the date and why.
    hazel = Assignment.objects.get(
        person__name="Hazel Smith", post__title="Director of Partnerships"
    )
    page.goto(f"{live_server.url}/admin/roles/assignment/{hazel.pk}/change/")
    page.get_by_role("link", name="End assignment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End assignment")
    page.get_by_label("End date").fill("2018-06-30")
    page.get_by_label("Reason for this change").fill("Left the shared team at the end of June")
    page.get_by_role("button", name="End assignment").click()
    expect(page.locator(".messagelist")).to_contain_text("ended")

    # A new person, then their assignment to the post; both ask why.
    page.goto(f"{live_server.url}/admin/roles/person/add/")
    page.get_by_label("Name").fill("Alex Example")
    page.get_by_label("Reason for this change").fill("Appointed to the shared team")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Alex Example")

    page.goto(f"{live_server.url}/admin/roles/assignment/add/")
    pick(page, "person", "Alex Example")
    pick(page, "post", "Director of Partnerships")
    page.locator("#id_start").fill("2018-07-01")
    pick(page, "sources", ITEM_4)
    page.get_by_label("Reason for this change").fill("Appointed from 1 July")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Alex Example")

    # An overlapping second holder of the same single-seat post is refused on the form.
    page.goto(f"{live_server.url}/admin/roles/assignment/add/")
    pick(page, "person", "Michael Ridgwell")
    pick(page, "post", "Director of Partnerships")
    page.locator("#id_start").fill("2018-08-01")
    pick(page, "sources", ITEM_4)
    page.get_by_label("Reason for this change").fill("Should be refused")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(
        "is already held for those dates by Alex Example (1 July 2018 to now)"
    )

    # A fresh page from the fixture, so its own browser errors are recorded and checked.
    team = signed_in(new_page(), live_server, admin)
    team.goto(f"{live_server.url}/team/?as_at=2018-07-01")
    chart = team.get_by_test_id("org-chart")
    post = chart.get_by_test_id("chart-post").filter(
        has=team.get_by_role("heading", name="Director of Partnerships")
    )
    expect(post).to_contain_text("Alex Example")
    expect(post).to_contain_text("From 1 July 2018")
    expect(post).not_to_contain_text("Hazel Smith")
    team.goto(f"{live_server.url}/team/?as_at=2018-06-29")
    post = team.get_by_test_id("chart-post").filter(
        has=team.get_by_role("heading", name="Director of Partnerships")
    )
    expect(post).to_contain_text("Hazel Smith")
    expect(post).to_contain_text("Previously accountable officer for Thanet CCG")
    assert_accessible(team)

    team.goto(f"{live_server.url}/functions/?as_at=2018-03-13")
    expect(team.get_by_test_id("function-row")).to_have_count(2)
    assert_accessible(team)


def test_staff_move_a_function_with_the_error_summary_first(
    new_page, live_server, staff, kent_medway
):
    page = signed_in(new_page(), live_server, staff)
    page.goto(f"{live_server.url}/functions/?as_at=2018-03-13")
    page.get_by_role("link", name="Move Stroke review to another level").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move Stroke review to another level")
    assert_accessible(page)

    page.get_by_label("Locality group").check()
    page.get_by_label("Day").fill("15")
    page.get_by_role("button", name="Move function").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Cite at least one source.")
    expect(summary).to_be_focused()
    assert_accessible(page)
    # The date's error links to its first box, which keeps what was typed.
    summary.get_by_role("link", name="Date placed at this level must include a month").click()
    expect(page.get_by_label("Day")).to_be_focused()
    expect(page.get_by_label("Day")).to_have_value("15")
    expect(page.get_by_label("Locality group")).to_be_checked()

    page.get_by_label("Day").fill("")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2018")
    page.get_by_label("How precise is the date").select_option(label="Month only")
    page.get_by_label("Placed by").fill("Final design workshop, May 2018")
    page.get_by_label(ITEM_4).check()
    page.get_by_label("Reason for this change").fill("The workshop placed it in the groups")
    page.get_by_role("button", name="Move function").click()

    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        "Stroke review now sits at ‘Locality group’."
    )
    # The function's own page, with its history: who moved it, when and why.
    expect(page.get_by_test_id("function-history")).to_contain_text(
        "The workshop placed it in the groups"
    )
    assert_accessible(page)
    page.goto(f"{live_server.url}/functions/?as_at=2018-06-01")
    row = page.get_by_test_id("function-row").filter(has_text="Stroke review")
    expect(row.locator('[data-level="locality_group"]')).to_contain_text("Sits here")
    assert_accessible(page)

    # The add form, shown again with every error, passes the same accessibility check.
    page.goto(f"{live_server.url}/functions/add/")
    page.get_by_role("button", name="Add function").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the name of the function.")
    assert_accessible(page)
