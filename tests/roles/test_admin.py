"""Admins edit the team in the Django admin; every write goes through roles.services."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from records.history import save_with_history
from records.models import EventKind, Source, TimelineEvent
from roles import admin as roles_admin
from roles import services
from roles.models import Assignment, Person, Post
from tests import factories
from tests.conftest import day
from tests.factories import second_arrangement, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def add_data(**overrides):
    data = {
        "person": Person.objects.get(name="Michael Ridgwell").pk,
        "post": Post.objects.get(title="Director of corporate services").pk,
        "start": "2018-04-01",
        "start_precision": "day",
        "end": "",
        "end_precision": "day",
        "note": "",
        "sources": [Source.objects.get(key="003").pk],
        "change_reason": "Appointed at the April board",
    }
    data.update(overrides)
    return data


def test_admin_adds_an_assignment_through_the_service(as_admin, admin, kent_medway):
    response = as_admin.post(reverse("admin:roles_assignment_add"), add_data())

    assert response.status_code == 302
    added = Assignment.objects.get(post__title="Director of corporate services")
    assert (added.person.name, added.start) == ("Michael Ridgwell", day("2018-04-01"))
    (row,) = added.history.all()
    assert (row.history_user, row.history_change_reason) == (admin, "Appointed at the April board")
    event = TimelineEvent.objects.about(added).get(kind=EventKind.ASSIGNMENT_START)
    assert event.title == "Michael Ridgwell starts as Director of corporate services"
    assert [s.key for s in added.sources.all()] == ["003"]


def test_admin_overlap_is_refused_on_the_form_with_a_clear_message(as_admin, kent_medway):
    before = Assignment.objects.count()

    response = as_admin.post(
        reverse("admin:roles_assignment_add"),
        add_data(post=Post.objects.get(title="Accountable officer (strategic commissioner)").pk),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["post"] == [
        "Accountable officer (strategic commissioner) is already held for those dates by "
        "Glenn Douglas (12 March 2018 to now). End that first."
    ]
    assert Assignment.objects.count() == before


def test_admin_end_before_start_is_refused_on_the_form(as_admin, kent_medway):
    response = as_admin.post(
        reverse("admin:roles_assignment_add"), add_data(end="2018-03-01", end_precision="day")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == [
        "The end date cannot be before the start date."
    ]
    assert not Assignment.objects.filter(post__title="Director of corporate services").exists()


def test_admin_reason_is_required(as_admin, kent_medway):
    response = as_admin.post(reverse("admin:roles_assignment_add"), add_data(change_reason=""))

    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors


def test_admin_ends_an_assignment_with_a_date_and_a_reason(as_admin, admin, kent_medway):
    hazel = Assignment.objects.get(
        person__name="Hazel Smith", post__title="Director of Partnerships"
    )
    url = reverse("admin:roles_assignment_end", args=[hazel.pk])
    change = as_admin.get(reverse("admin:roles_assignment_change", args=[hazel.pk]))
    assert url in change.content.decode()

    response = as_admin.post(
        url, {"end": "2018-06-30", "end_precision": "day", "reason": "Left the shared team"}
    )

    assert response.status_code == 302
    hazel.refresh_from_db()
    assert hazel.end == day("2018-06-30")
    latest = hazel.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (admin, "Left the shared team")
    event = TimelineEvent.objects.about(hazel).get(kind=EventKind.ASSIGNMENT_END)
    assert event.detail == "Left the shared team"
    # With no source chosen, the ending cites the assignment's own sources.
    assert sorted(s.key for s in event.sources.all()) == ["000", "002"]


def test_admin_end_form_refuses_an_end_before_the_start_and_needs_a_reason(as_admin, kent_medway):
    glenn = Assignment.objects.get(post__title="Accountable officer (strategic commissioner)")
    url = reverse("admin:roles_assignment_end", args=[glenn.pk])

    response = as_admin.post(url, {"end": "2018-03-01", "end_precision": "day", "reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == [
        "The end date cannot be before the start date."
    ]
    response = as_admin.post(url, {"end": "2018-06-01", "end_precision": "day", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    glenn.refresh_from_db()
    assert glenn.end is None


def test_admin_action_takes_one_open_assignment_to_the_end_form(as_admin, kent_medway):
    glenn = Assignment.objects.get(post__title="Accountable officer (strategic commissioner)")
    changelist = reverse("admin:roles_assignment_changelist")

    response = as_admin.post(
        changelist, {"action": "end_assignment", "_selected_action": [glenn.pk]}
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:roles_assignment_end", args=[glenn.pk])

    two = Assignment.objects.filter(end__isnull=True).values_list("pk", flat=True)[:2]
    response = as_admin.post(
        changelist, {"action": "end_assignment", "_selected_action": list(two)}, follow=True
    )
    assert "Choose exactly one assignment that has not ended." in response.content.decode()


def test_admin_corrects_a_start_through_the_service(as_admin, admin, kent_medway):
    ian = Assignment.objects.get(post__title="Managing director, Medway, North and West Kent")

    response = as_admin.post(
        reverse("admin:roles_assignment_change", args=[ian.pk]),
        {
            "start": "2018-02-01",
            "start_precision": "month",
            "transitional": "on",
            "note": "Dated by the February update",
            "sources": [Source.objects.get(key="002").pk],
            "change_reason": "Correction: 002 dates it",
        },
    )

    assert response.status_code == 302
    ian.refresh_from_db()
    assert (ian.start, ian.start_display, ian.note) == (
        day("2018-02-28"),
        "February 2018",
        "Dated by the February update",
    )
    assert ian.person.name == "Ian Ayres"
    latest = ian.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        admin,
        "Correction: 002 dates it",
    )


def test_assignments_cannot_be_deleted_in_the_admin(as_admin, kent_medway):
    glenn = Assignment.objects.get(post__title="Accountable officer (strategic commissioner)")

    response = as_admin.get(reverse("admin:roles_assignment_delete", args=[glenn.pk]))

    assert response.status_code == 403


def test_admin_edits_a_person_with_a_reason_in_the_history(as_admin, admin, kent_medway):
    person = Person.objects.get(name="Michael Ridgwell")

    response = as_admin.post(
        reverse("admin:roles_person_change", args=[person.pk]),
        {"name": "Michael Ridgwell", "change_reason": "Checked the spelling against 003"},
    )

    assert response.status_code == 302
    latest = person.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        admin,
        "Checked the spelling against 003",
    )


def test_a_clash_found_only_by_the_service_is_a_message_not_a_server_error(
    as_admin, kent_medway, monkeypatch
):
    # As if another admin saved a holder between this form's check and its save.
    monkeypatch.setattr(roles_admin.services, "assignment_clash_check", lambda **kwargs: None)

    def start_after_a_race(**kwargs):
        raise ValidationError({"post": ["Director of corporate services is already held."]})

    monkeypatch.setattr(roles_admin.services, "assignment_start", start_after_a_race)

    response = as_admin.post(reverse("admin:roles_assignment_add"), add_data(), follow=True)

    assert response.status_code == 200
    assert "Director of corporate services is already held." in response.content.decode()
    assert not Assignment.objects.filter(post__title="Director of corporate services").exists()


def test_the_admin_history_reads_in_words_with_names_dates_and_sources(
    as_admin, admin, kent_medway
):
    """Month-only starts stay months, an end reads as a date not 'None', people by full name,
    the sources each version cited; never the stored codes."""
    admin.first_name, admin.last_name = "Ari", "Admin"
    admin.save()
    assignment = Assignment.objects.get(person__name="Ian Ayres", start__month=2)
    services.assignment_end(
        assignment=assignment,
        end=day("2018-05-01"),
        end_precision="by_month",
        reason="Left the transitional role",
        user=admin,
    )

    response = as_admin.get(reverse("admin:roles_assignment_history", args=[assignment.pk]))

    text = " ".join(re.sub(r"<[^>]+>|&rarr;", " ", response.content.decode()).split())
    assert "Ari Admin Changed Left the transitional role" in text
    assert "End: not given by May 2018" in text
    assert "February 2018" in text and "28 February 2018" not in text
    assert "Sources cited" in text
    assert Source.objects.get(key="002").title in text
    for raw in ("None", "by_month", "End_precision", "admin.user"):
        assert raw not in text, raw


def test_sources_are_picked_from_a_searchable_widget(as_admin, kent_medway):
    page = as_admin.get(reverse("admin:roles_assignment_add")).content.decode()

    assert "data-autocomplete-light" in page or "admin-autocomplete" in page
    response = as_admin.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "roles",
            "model_name": "assignment",
            "field_name": "sources",
            "term": "Item 4",
        },
    )
    assert response.status_code == 200
    titles = [result["text"] for result in response.json()["results"]]
    assert any(title.startswith("Item 4: Kent and Medway") for title in titles)


def test_a_new_post_belongs_to_the_default_arrangement_unless_the_admin_chooses_another(
    as_admin, kent_medway
):
    merger = second_arrangement()
    form = as_admin.get(reverse("admin:roles_post_add")).content.decode()
    post = {
        "kind": "shared_team",
        "seats": "1",
        "order": "0",
        "note": "",
        "change_reason": "Named in the merger's proposal",
    }

    as_admin.post(
        reverse("admin:roles_post_add"),
        {**post, "commissioner": story().pk, "title": "Director of strategy"},
    )
    response = as_admin.post(
        reverse("admin:roles_post_add"),
        {**post, "commissioner": merger.pk, "title": "Director of strategy"},
    )

    # The default arrangement is chosen on the empty form; either may be chosen.
    assert re.search(rf'<option value="{story().pk}" selected>', form)
    assert f'<option value="{merger.pk}">Kent and Medway single CCG</option>' in form
    assert response.status_code == 302
    posts = Post.objects.filter(title="Director of strategy").order_by("pk")
    assert [post.commissioner for post in posts] == [story(), merger]
    # Fixed once added: its assignments' timeline events are that arrangement's.
    change = as_admin.get(reverse("admin:roles_post_change", args=[posts[1].pk]))
    assert 'name="commissioner"' not in change.content.decode()
    assert "Kent and Medway single CCG" in change.content.decode()


def test_an_assignment_to_a_post_is_on_its_arrangements_timeline_only(as_admin, kent_medway):
    merger = second_arrangement()
    post = Post(commissioner=merger, title="Merger director", kind="shared_team")
    save_with_history(post, user=factories.test_data_user(), reason="Made by a test")

    as_admin.post(reverse("admin:roles_assignment_add"), add_data(post=post.pk))

    (event,) = TimelineEvent.objects.filter(
        kind=EventKind.ASSIGNMENT_START, title__contains="Merger"
    )
    assert event.commissioner == merger
