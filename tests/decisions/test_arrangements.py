"""Decisions about a second arrangement: the form asks which arrangement (or takes
``?arrangement=``), the decision moves that arrangement's membership only, and a CCG or an
arrangement added in the admin has a membership of every arrangement, ready for its form."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from ccgs.models import CCG, Commissioner, LocalityGroup
from decisions.models import Decision, Membership
from records.models import Source
from tests.decisions.date_boxes import with_dates
from tests.factories import new_ccg_form, second_arrangement
from tests.interchange.conftest import EXAMPLE

pytestmark = pytest.mark.django_db

MERGER = "kent-and-medway-single-ccg"
STORY = "kent-and-medway-strategic-commissioner"
EXAMPLE_SLUG = "east-kent-single-ccg-invented-example"


@pytest.fixture
def merger(kent_medway):
    return second_arrangement()


def joining(slug="south-kent-coast", arrangement=MERGER, **overrides):
    """What a staff user types to record a CCG joining, against ``arrangement``'s membership."""
    membership = Membership.objects.get(ccg__slug=slug, commissioner__slug=arrangement)
    data = {
        "body": "gp_membership",
        "outcome": "agreed",
        "meeting_date": "2018-04-30",
        "meeting_date_precision": "on_or_before",
        "effective_date": "2018-04-30",
        "effective_date_precision": "on_or_before",
        "expected_date_precision": "day",
        "summary": "The GP members agreed to join.",
        "source": str(Source.objects.get(key="003").pk),
        "new_source_published_precision": "day",
        "reason": "GP membership meeting outcome reported by the CCG",
        "version": str(membership.version),
    }
    data.update(overrides)
    return with_dates(data)


def story_membership(slug):
    return Membership.objects.get(ccg__slug=slug, commissioner__slug=STORY)


def merger_membership(slug):
    return Membership.objects.get(ccg__slug=slug, commissioner__slug=MERGER)


def test_the_form_for_a_ccg_in_two_arrangements_asks_which(client, merger, staff):
    client.force_login(staff)

    response = client.get(reverse("decisions:record", args=["south-kent-coast"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Which arrangement is the decision about?" in page
    assert f'href="/ccgs/south-kent-coast/decisions/new/?arrangement={STORY}"' in page
    assert f'href="/ccgs/south-kent-coast/decisions/new/?arrangement={MERGER}"' in page
    assert "now pending" in page  # the 2018 record's status
    assert "now no record yet" in page  # the merger's


def test_a_decision_on_the_merger_moves_the_merger_only(client, merger, staff):
    client.force_login(staff)
    url = reverse("decisions:record", args=["south-kent-coast"]) + f"?arrangement={MERGER}"
    story = story_membership("south-kent-coast")
    story_history = story.history.count()

    form = client.get(url)
    response = client.post(url, joining())

    assert "South Kent Coast CCG: Kent and Medway single CCG" in form.content.decode()
    assert f'action="{url}"' in form.content.decode().replace("&amp;", "&")
    assert response.status_code == 302
    decision = Decision.objects.latest("pk")
    assert decision.commissioner == merger
    moved = merger_membership("south-kent-coast")
    assert moved.status == "joined"
    latest = moved.history.latest("history_date")
    assert latest.history_user == staff
    assert latest.history_change_reason == "GP membership meeting outcome reported by the CCG"
    # The 2018 record is as it was: pending, no new history row.
    story.refresh_from_db()
    assert story.status == "pending"
    assert story.history.count() == story_history
    recorded = client.get(response.url).content.decode()
    assert "membership is now <strong>Joined</strong>" in recorded
    assert f'href="/ccgs/south-kent-coast/?arrangement={MERGER}"' in recorded


def test_a_decision_on_the_2018_arrangement_still_moves_the_2018_membership(client, merger, staff):
    client.force_login(staff)
    url = reverse("decisions:record", args=["south-kent-coast"]) + f"?arrangement={STORY}"

    response = client.post(url, joining(arrangement=STORY))

    assert response.status_code == 302
    assert story_membership("south-kent-coast").status == "joined"
    assert merger_membership("south-kent-coast").status == ""


def test_an_arrangement_the_ccg_is_not_in_is_refused_clearly(client, merger, staff):
    client.force_login(staff)
    url = reverse("decisions:record", args=["south-kent-coast"])

    response = client.get(url, {"arrangement": "no-such-thing"})

    assert response.status_code == 404
    page = response.content.decode()
    assert "South Kent Coast CCG is in no arrangement ‘no-such-thing’." in page
    assert f"‘{MERGER}’ (Kent and Medway single CCG)" in page


def test_correcting_and_withdrawing_a_merger_decision_touch_the_merger_only(client, merger, staff):
    client.force_login(staff)
    url = reverse("decisions:record", args=["thanet"]) + f"?arrangement={MERGER}"
    client.post(url, joining("thanet"))
    decision = Decision.objects.latest("pk")
    story_versions = story_membership("thanet").version

    correct = client.get(reverse("decisions:correct", args=[decision.pk]))
    corrected = client.post(
        reverse("decisions:correct", args=[decision.pk]),
        joining(
            "thanet",
            outcome="declined",
            summary="The governing body decided not to merge.",
            reason="The minutes say declined, not agreed",
        ),
    )
    correction = Decision.objects.latest("pk")
    withdrawn = client.post(
        reverse("decisions:withdraw", args=[correction.pk]),
        {"reason": "Entered against the wrong CCG", "version": merger_membership("thanet").version},
    )

    assert correct.status_code == 200
    assert corrected.status_code == 302
    assert correction.corrects == decision
    assert withdrawn.status_code == 302
    assert withdrawn.url == f"/ccgs/thanet/?arrangement={MERGER}"
    assert merger_membership("thanet").status == ""  # nothing counts any more
    assert story_membership("thanet").status == "joined"
    assert story_membership("thanet").version == story_versions


def test_a_ccg_added_in_the_admin_joins_every_arrangement_and_its_forms_work(
    client, merger, admin, staff
):
    client.force_login(admin)

    response = client.post("/admin/ccgs/ccg/add/", new_ccg_form(LocalityGroup.objects.first()))

    assert response.status_code == 302
    memberships = Membership.objects.filter(ccg__slug="medway-south").order_by("commissioner")
    assert [(m.commissioner.slug, m.status_label) for m in memberships] == [
        (STORY, "No record yet"),
        (MERGER, "No record yet"),
    ]
    for membership in memberships:
        (row,) = membership.history.all()
        assert (row.history_user, row.history_change_reason) == (
            admin,
            "Added with the CCG: A CCG formed by a merger",
        )
    client.force_login(staff)
    for slug in (STORY, MERGER):
        form = client.get(f"/ccgs/medway-south/decisions/new/?arrangement={slug}")
        assert form.status_code == 200
        assert "Record a decision" in form.content.decode()
    url = f"/ccgs/medway-south/decisions/new/?arrangement={MERGER}"
    recorded = client.post(
        url,
        joining("medway-south", summary="Medway South agreed to merge."),
    )
    assert recorded.status_code == 302
    assert Membership.objects.get(ccg__slug="medway-south", commissioner=merger).status == "joined"
    assert Membership.objects.get(ccg__slug="medway-south", commissioner__slug=STORY).status == ""


def new_arrangement(name):
    """The admin's add-an-arrangement form as an admin fills it in, for ``name``."""
    return {
        "name": name,
        "slug": "",
        "form": "Merger into one CCG",
        "shadow_from_0": "",
        "shadow_from_1": "",
        "shadow_from_2": "",
        "shadow_from_precision": "day",
        "description": "",
        "change_reason": "001 foresees a single CCG no earlier than April 2019",
    }


def test_an_arrangement_added_in_the_admin_has_every_ccg_with_no_record_yet(
    client, kent_medway, admin
):
    client.force_login(admin)

    response = client.post(
        "/admin/ccgs/commissioner/add/",
        new_arrangement("Kent and Medway CCG (merger)"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    arrangement = Commissioner.objects.get(name="Kent and Medway CCG (merger)")
    assert arrangement.slug == "kent-and-medway-ccg-merger"  # made from the name
    memberships = Membership.objects.filter(commissioner=arrangement)
    assert sorted(m.ccg.name for m in memberships) == sorted(c.name for c in CCG.objects.all())
    assert {m.status_label for m in memberships} == {"No record yet"}
    assert {m.history.get().history_user for m in memberships} == {admin}
    # The 2018 record is as it was.
    assert story_membership("thanet").status == "joined"


def test_a_form_opened_before_a_second_arrangement_was_added_is_saved_against_its_own(
    client, kent_medway, staff
):
    """South Kent Coast's form is opened while the record holds one arrangement; the merger
    is added before it is sent. The answer is recorded against the 2018 membership, not
    dropped for a question about which arrangement was meant."""
    client.force_login(staff)
    url = reverse("decisions:record", args=["south-kent-coast"])
    form = client.get(url).content.decode()
    assert f'name="arrangement" value="{STORY}"' in form
    typed = {**joining(arrangement=STORY), "arrangement": STORY}  # as the form sends it
    second_arrangement()

    response = client.post(url, typed)

    assert response.status_code == 302
    assert story_membership("south-kent-coast").status == "joined"
    assert merger_membership("south-kent-coast").status != "joined"


def test_an_arrangement_whose_name_gives_no_address_is_refused_in_the_admin(
    client, kent_medway, admin
):
    client.force_login(admin)

    response = client.post(
        "/admin/ccgs/commissioner/add/",
        new_arrangement("!!!"),
    )

    assert response.status_code == 200  # the form again, with the error
    assert "Give the name some letters a-z or digits, or give the slug yourself." in (
        response.content.decode()
    )
    assert Commissioner.objects.count() == 1


def source_options(client, url):
    page = client.get(url).content.decode()
    select = page.split('name="source"')[1].split("</select>")[0]
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)][1:]


def test_the_source_picker_lists_the_arrangements_own_sources_first_and_names_the_others(
    client, kent_medway, staff
):
    """A record may cite another's source, but its own come first as they did before the
    other arrangement arrived, and another's says whose it is (two papers may share a title)."""
    client.force_login(staff)
    url = reverse("decisions:record", args=["thanet"])
    before = source_options(client, url)
    call_command("import_record", str(EXAMPLE))
    invented = Commissioner.objects.get(slug=EXAMPLE_SLUG)

    story_form = source_options(client, f"{url}?arrangement={STORY}")
    example_form = source_options(client, f"{url}?arrangement={EXAMPLE_SLUG}")

    assert story_form[: len(before)] == before
    assert story_form[len(before) :] and all(
        label.endswith(f" – in the record of {invented.name}")
        for label in story_form[len(before) :]
    )
    assert [label.split(" (")[0] for label in example_form[:3]] == [
        "Merger update",
        "Ashford CCG governing body minutes, 14 November 2018",
        "Proposal for a single East Kent CCG",
    ]
    assert example_form[3].endswith(" – in the record of Kent and Medway strategic commissioner")


def test_the_correction_page_of_a_ccg_in_two_arrangements_names_the_decisions(
    client, merger, staff, django_assert_num_queries
):
    client.force_login(staff)
    client.post(
        reverse("decisions:record", args=["thanet"]) + f"?arrangement={MERGER}", joining("thanet")
    )
    merger_decision = Decision.objects.latest("pk")
    story_decision = Decision.objects.filter(ccg__slug="thanet", commissioner__slug=STORY).latest(
        "pk"
    )
    correct = reverse("decisions:correct", args=[merger_decision.pk])
    client.get(correct)  # warm the session

    # As many queries as before it named the arrangement (14): the CCG's memberships come in
    # the one query that found the decision's.
    # One more: the arrangements, so that the menu and the back link keep the one shown.
    with django_assert_num_queries(15):
        merger_page = client.get(correct).content.decode()
    story_page = client.get(reverse("decisions:correct", args=[story_decision.pk])).content.decode()

    assert '<span class="nhsuk-caption-l">Thanet CCG: Kent and Medway single CCG</span>' in (
        merger_page
    )
    assert f'href="/ccgs/thanet/?arrangement={MERGER}"' in merger_page
    assert (
        '<span class="nhsuk-caption-l">Thanet CCG: Kent and Medway strategic commissioner</span>'
        in story_page
    )


def test_the_staff_forms_of_another_arrangement_keep_it_in_their_menu_and_back_link(
    client, merger, staff
):
    client.force_login(staff)
    url = reverse("decisions:record", args=["thanet"])
    client.post(f"{url}?arrangement={MERGER}", joining("thanet"))
    decision = Decision.objects.filter(commissioner__slug=MERGER).latest("pk")

    pages = {
        "record": client.get(f"{url}?arrangement={MERGER}").content.decode(),
        "correct": client.get(reverse("decisions:correct", args=[decision.pk])).content.decode(),
        "withdraw": client.get(reverse("decisions:withdraw", args=[decision.pk])).content.decode(),
    }

    for name, page in pages.items():
        menu = page.split('aria-label="Menu"')[1]
        assert f'href="/?arrangement={MERGER}"' in menu, name
        assert f'href="/timeline/?arrangement={MERGER}"' in menu, name
    assert f'href="/ccgs/thanet/?arrangement={MERGER}">Back</a>' in pages["withdraw"]
