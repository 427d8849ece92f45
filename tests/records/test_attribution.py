"""Every change to a tracked row says who made it and why, and what it cited.

A save or delete that does not name the user and the reason is refused before anything
is written, whatever path it takes (a shell, a script, a new view that forgets the service).
"""

import datetime

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from decisions import services as decision_services
from decisions.models import Decision
from records.history import ATTRIBUTED_MODELS, UnattributedChange, save_with_history
from records.models import Source
from roles import services as role_services
from roles.models import Assignment
from tests.factories import PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db

TRACKED = sorted(ATTRIBUTED_MODELS, key=lambda model: model._meta.label)


def test_every_model_with_an_audit_history_is_guarded():
    labels = {model._meta.label for model in TRACKED}
    assert {
        "ccgs.CCG",
        "decisions.Decision",
        "decisions.Membership",
        "records.Source",
        "roles.Assignment",
        "roles.Person",
        "scrutiny.ScrutinyMeeting",
    } <= labels


@pytest.mark.parametrize("model", TRACKED, ids=lambda model: model._meta.label)
def test_a_plain_save_is_refused_and_writes_nothing(kent_medway, staff, model):
    if not model.objects.exists():  # the 2018 record withdrew nothing: withdraw one here
        decision_services.decision_withdraw(
            decision=Decision.objects.filter(ccg__slug="thanet").order_by("-pk").first(),
            reason="Entered in error",
            user=staff,
        )
    obj = model.objects.order_by("pk").first()
    before = (model.objects.count(), model.history.count())

    with pytest.raises(UnattributedChange, match="the user and the reason"):
        obj.save()

    assert (model.objects.count(), model.history.count()) == before


@pytest.mark.parametrize("factory", [PersonFactory, SourceFactory], ids=["person", "source"])
def test_a_plain_delete_is_refused_and_removes_nothing(factory):
    obj = factory()
    model = type(obj)
    before = (model.objects.count(), model.history.count())

    # In a savepoint: a refused delete breaks the transaction it is in, as any error does.
    with pytest.raises(UnattributedChange), transaction.atomic():
        obj.delete()

    assert (model.objects.count(), model.history.count()) == before


def test_a_save_with_a_user_but_no_reason_is_refused(kent_medway, admin):
    source = Source.objects.get(key="003")
    source._history_user = admin

    with pytest.raises(UnattributedChange):
        source.save()


def test_a_decisions_history_row_keeps_the_sources_it_cited(kent_medway, staff):
    thanet_paper = Source.objects.get(key="003")
    decision = decision_services.decision_record(
        ccg=apps.get_model("ccgs", "CCG").objects.get(slug="south-kent-coast"),
        body="governing_body",
        outcome="agreed",
        effective_date=datetime.date(2018, 5, 1),
        summary="Agreed to join",
        sources=[thanet_paper],
        reason="Board minutes received",
        user=staff,
    )

    (row,) = Decision.objects.get(pk=decision.pk).history.all()
    assert row.cited_sources == [{"id": thanet_paper.pk, "title": thanet_paper.title}]
    assert row.history_user == staff


def test_ending_an_assignment_keeps_its_old_and_new_sources_in_the_history(kent_medway, admin):
    hazel = Assignment.objects.filter(person__name="Hazel Smith", end=None).order_by("pk").first()
    cited_before = {source.pk for source in hazel.sources.all()}
    update = Source.objects.exclude(pk__in=cited_before).order_by("pk").first()

    role_services.assignment_end(
        assignment=hazel,
        end=datetime.date(2018, 6, 30),
        sources=[update],
        reason="Left at the end of June",
        user=admin,
    )

    row = hazel.history.order_by("-history_id").first()
    assert {source["id"] for source in row.cited_sources} == cited_before | {update.pk}
    assert set(hazel.sources.values_list("pk", flat=True)) == cited_before | {update.pk}


def test_the_admin_history_lists_the_sources_each_version_cited(client, kent_medway, admin):
    decision = Decision.objects.filter(ccg__slug="thanet").order_by("pk").first()
    titles = [source.title for source in decision.sources.all()]
    client.force_login(admin)

    response = client.get(reverse("admin:decisions_decision_history", args=[decision.pk]))

    assert response.status_code == 200
    for title in titles:
        assert title in response.content.decode()


def test_a_save_naming_user_and_reason_goes_through(kent_medway, admin):
    source = Source.objects.get(key="003")
    source.publisher = source.publisher + " "

    save_with_history(source, user=admin, reason="Tidy the publisher")

    latest = source.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (admin, "Tidy the publisher")
