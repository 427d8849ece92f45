"""Issue 14's whole journey: a second arrangement imported from a file beside the 2018
record, a decision recorded against it in Chromium, and the record exported with it,
while the 2018 record exports as its file still."""

import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from records.models import Source

from .conftest import signed_in
from .test_staff_pages import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "east_kent_single_ccg_invented.toml"
STORY = ROOT / "demo" / "data" / "kent_medway_2018.toml"
MERGER = "east-kent-single-ccg-invented-example"


def exported(tmp_path, arrangement):
    path = tmp_path / f"{arrangement}.toml"
    call_command("export_record", str(path), "--arrangement", arrangement, verbosity=0)
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_an_imported_arrangement_is_recorded_against_in_the_browser_and_exported(
    page, live_server, staff, kent_medway, tmp_path
):
    call_command("import_record", str(EXAMPLE), verbosity=0)

    signed_in(page, live_server, staff, f"/?arrangement={MERGER}")
    expect(page.locator(".nhsuk-caption-l").first).to_have_text(
        "Membership of East Kent single CCG (invented example)"
    )
    page.get_by_role("link", name="Thanet").click()
    page.get_by_role("button", name="Record a decision").click()
    expect(page.locator(".nhsuk-caption-l")).to_have_text(
        "Thanet CCG: East Kent single CCG (invented example)"
    )
    page.get_by_label("GP membership").check()
    page.get_by_label("Agreed to join").check()
    fill_date(page, "meeting_date", "27", "2", "2019")
    fill_date(page, "effective_date", "1", "4", "2019")
    page.get_by_label("Summary").fill("Invented example: Thanet's members agreed to merge.")
    page.get_by_label("Choose an existing source").select_option(
        str(Source.objects.get(key="ex-3").pk)
    )
    page.get_by_label("Reason for this change").fill("Invented example: the members' vote")
    page.get_by_role("button", name="Record the decision").click()
    panel = page.locator(".nhsuk-panel")
    expect(panel).to_contain_text("Thanet CCG’s membership is now Joined")
    expect(panel).to_contain_text(
        "This is its membership of East Kent single CCG (invented example)."
    )

    merger = exported(tmp_path, MERGER)
    last = merger["events"][-1]
    assert (last["type"], last["ccg"], last["outcome"], last["body"]) == (
        "decision", "thanet", "agreed", "gp_membership"
    )  # fmt: skip
    assert last["effective_date"] == "2019-04-01"
    assert last["sources"] == ["ex-3"]
    assert last["reason"] == "Invented example: the members' vote"
    assert last["recorded_by"] == staff.username  # who did it in the browser, not the file
    story = exported(tmp_path, "kent-and-medway-strategic-commissioner")
    assert story == tomllib.loads(STORY.read_text(encoding="utf-8"))
