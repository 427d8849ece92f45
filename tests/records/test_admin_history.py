"""The admin's audit-history views show the past; no request can change it through them."""

import pytest
from django.contrib.admin.sites import site
from django.forms.models import model_to_dict
from django.urls import reverse

from records.admin_reasons import HistoryShownNotChanged
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TRACKED = sorted(
    (model for model, admin in site._registry.items() if isinstance(admin, HistoryShownNotChanged)),
    key=lambda model: model._meta.label,
)


def test_every_tracked_model_in_the_admin_has_read_only_history():
    labels = {model._meta.label for model in TRACKED}
    assert {"decisions.Membership", "decisions.Decision", "records.Source"} <= labels
    assert {"roles.Assignment", "scrutiny.ScrutinyMeeting", "ccgs.CCG"} <= labels


@pytest.mark.parametrize("model", TRACKED, ids=lambda model: model._meta.label)
def test_posting_to_the_history_form_changes_nothing(client, kent_medway, model):
    if model._meta.label == "auth.Group":
        model.objects.create(name="reviewers")  # the three roles predate their history
    row = model.history.order_by("history_id").first()
    if row is None:
        pytest.skip(f"the 2018 record has no {model._meta.verbose_name}")
    obj = model.objects.get(pk=row.id)
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
        args=[obj.pk, row.history_id],
    )
    before = (model_to_dict(obj), obj.history.count())
    data = {
        k: v for k, v in model_to_dict(obj).items() if v is not None and not isinstance(v, list)
    }

    assert client.get(url).status_code == 200
    response = client.post(url, {**data, "change_reason": "Rewrite the past"})

    assert response.status_code == 403
    obj.refresh_from_db()
    assert (model_to_dict(obj), obj.history.count()) == before


def test_a_history_address_with_a_word_for_an_id_is_not_found(client, kent_medway):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    assert client.get("/admin/decisions/membership/x/history/").status_code == 404
    assert client.get("/admin/decisions/membership/1/history/y/").status_code == 404


def test_a_long_admin_history_costs_the_same_queries_as_a_short_one(
    client, kent_medway, staff, django_assert_max_num_queries
):
    from decisions import services
    from decisions.models import Membership
    from records.models import Source

    membership = Membership.objects.get(ccg__slug="thanet")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:decisions_membership_history", args=[membership.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as short:
        client.get(url)

    for day in range(1, 26):
        services.decision_record(
            ccg=membership.ccg,
            body="governing_body",
            outcome="agreed",
            effective_date=__import__("datetime").date(2018, 5, day),
            summary="Agreed again.",
            sources=[Source.objects.get(key="003")],
            reason=f"Change {day}",
            user=staff,
        )
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Change 2") >= 7  # Change 2, 20-25
