import re

import pytest

from decisions.models import Membership
from tests.factories import new_ccg_form

pytestmark = pytest.mark.django_db


def test_the_admin_shows_thanets_history_opted_out_then_joined_with_who_and_why(
    client, kent_medway, admin
):
    client.force_login(admin)
    thanet = Membership.objects.get(ccg__name="Thanet")

    response = client.get(f"/admin/decisions/membership/{thanet.pk}/history/")

    assert response.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>|&nbsp;|&rarr;", " ", response.content.decode()).split())
    # Newest first, in words: the joining, then the opt-out; the status's label, the date as
    # precise as its source, who by full name.
    joined = text.index("Status: Opted out Joined")
    opted_out = text.index("Status: not given Opted out")
    assert joined < opted_out
    assert "Demo data (from the 2018 sources) Changed Committee paper of April 2018" in text
    assert "February 2018 update: Thanet is not pursuing formal arrangements" in text
    for raw in ("opted_out", "on_or_before", "Since_precision", "demo-data", "None", "Version"):
        assert raw not in text, raw


def test_a_membership_status_cannot_be_edited_in_the_admin(client, kent_medway, admin):
    client.force_login(admin)
    thanet = Membership.objects.get(ccg__name="Thanet")
    # A complete change form, as an editable admin would accept it.
    complete = {
        "ccg": thanet.ccg_id,
        "commissioner": thanet.commissioner_id,
        "status": "opted_out",
        "since": "2018-03-19",
        "since_precision": "day",
        "version": thanet.version,
        "change_reason": "Trying to skip the decision form",
    }

    response = client.post(f"/admin/decisions/membership/{thanet.pk}/change/", complete)

    assert response.status_code == 403
    thanet.refresh_from_db()
    assert thanet.status == "joined"
    assert thanet.history.count() == 3


def test_stp_staff_cannot_reach_the_admin(client, staff):
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_admin_edits_of_people_require_a_reason_kept_in_history(client, kent_medway, admin):
    from roles.models import Person

    client.force_login(admin)
    person = Person.objects.get(name="Simon Perks")

    refused = client.post(f"/admin/roles/person/{person.pk}/change/", {"name": "Simon J Perks"})
    assert refused.status_code == 200
    assert "This field is required" in refused.content.decode()
    person.refresh_from_db()
    assert person.name == "Simon Perks"

    client.post(
        f"/admin/roles/person/{person.pk}/change/",
        {"name": "Simon J Perks", "change_reason": "Full name from the board papers"},
    )

    latest = person.history.latest()
    assert latest.name == "Simon J Perks"
    assert latest.history_user == admin
    assert latest.history_change_reason == "Full name from the board papers"


def test_a_ccg_added_in_the_admin_has_no_record_yet_and_its_decision_form_works(
    client, kent_medway, admin, staff
):
    from ccgs.models import CCG, LocalityGroup

    client.force_login(admin)
    response = client.post("/admin/ccgs/ccg/add/", new_ccg_form(LocalityGroup.objects.first()))

    assert response.status_code == 302
    ccg = CCG.objects.get(slug="medway-south")
    (membership,) = Membership.objects.filter(ccg=ccg)
    assert membership.status_label == "No record yet"
    assert membership.history.get().history_user == admin
    client.force_login(staff)
    assert client.get(f"/ccgs/{ccg.slug}/decisions/new/").status_code == 200
    page = client.get(f"/ccgs/{ccg.slug}/").content.decode()
    assert "No record yet" in page
