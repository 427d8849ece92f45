import re

import pytest
from playwright.sync_api import expect

from .axe import assert_accessible
from .conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_user_signs_in_sees_name_and_role_and_signs_out(
    page, live_server, staff, kent_medway
):
    page.goto(f"{live_server.url}/")
    # Anonymous visitors are sent to sign in.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    login(page, live_server, staff)

    expect(page).to_have_url(f"{live_server.url}/")
    account = page.get_by_role("navigation", name="Account")
    expect(account).to_contain_text("Pat Staff — STP staff")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    # STP staff are not staff in Django's sense: no admin link for them.
    expect(menu.get_by_role("link", name="Admin")).to_have_count(0)
    # The NHS.UK stylesheet really loaded: the header is NHS blue.
    header_colour = page.locator("header.nhsuk-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert header_colour == "rgb(0, 94, 184)"
    assert_accessible(page)

    account.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("navigation", name="Account")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_password_shows_the_error_summary(page, live_server, staff):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Please enter a correct username and password")
    # nhsuk-frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    # The link in the summary takes the user to the field to fix.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username")).to_be_focused()
    expect(page.get_by_label("Username")).to_have_value(staff.username)
    assert_accessible(page)


def test_admin_sees_the_admin_link(page, live_server, admin):
    login(page, live_server, admin)

    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Admin")).to_have_attribute("href", "/admin/")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Ari Admin — Admin")


def test_screenshots_of_sign_in_and_dashboard(page, live_server, staff, kent_medway):
    """Pictures for a person to look at (test-artifacts/); the test checks the logo shows."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator(".nhsuk-header__logo")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "sign-in.png"), full_page=True)

    login(page, live_server, staff)
    expect(page.locator(".nhsuk-header__logo")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)


def test_sign_in_returns_to_the_page_asked_for(page, live_server, scrutineer):
    login(page, live_server, scrutineer, next_path="/timeline/")

    assert page.url == f"{live_server.url}/timeline/"


def test_login_helper_says_why_sign_in_failed(page, live_server, staff):
    with pytest.raises(AssertionError, match="Could not sign in as stp.staff: There is a problem"):
        login(page, live_server, staff, password="wrong")


def test_every_navigation_link_leads_to_an_accessible_page(page, live_server, admin, kent_medway):
    login(page, live_server, admin)
    menu = page.get_by_role("navigation", name="Menu")
    names = [name for name in menu.get_by_role("link").all_inner_texts() if name.strip() != "Admin"]
    assert names == ["Dashboard", "Timeline", "Team", "Functions", "Briefing", "Search", "Help"]

    for name in names:
        with page.expect_navigation() as navigation:
            page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()
        assert navigation.value.status == 200, name
        current = page.get_by_role("navigation", name="Menu").locator("[aria-current=page]")
        expect(current).to_have_text(name)
        assert_accessible(page)


def test_keyboard_user_can_skip_to_the_main_content(page, live_server, staff):
    login(page, live_server, staff)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.locator("main#maincontent")).to_be_focused()
