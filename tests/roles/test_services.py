"""Who holds which post: the seat rule, the end-date rule (in the service and the database)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from records.history import save_with_history
from records.models import EventKind, Source, TimelineEvent
from roles import services
from roles.models import Assignment, CommissioningFunction, Level, Post
from tests.conftest import day
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(kent_medway):
    return Source.objects.get(key="003")


def start(person, post, user, source, **kwargs):
    return services.assignment_start(
        person=PersonFactory(name=person),
        post=Post.objects.get(title=post),
        sources=[source],
        reason="Test assignment",
        user=user,
        **kwargs,
    )


def test_a_second_holder_of_a_single_seat_post_is_refused_and_nothing_is_written(admin, source):
    assignments = Assignment.objects.count()
    history = Assignment.history.count()
    events = TimelineEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        start(
            "Ann Other",
            "Accountable officer (strategic commissioner)",
            admin,
            source,
            start=day("2018-04-01"),
        )

    (message,) = refused.value.message_dict["post"]
    assert "already held for those dates by Glenn Douglas (12 March 2018 to now)" in message
    assert Assignment.objects.count() == assignments
    assert Assignment.history.count() == history
    assert TimelineEvent.objects.count() == events


def test_a_holder_may_start_on_the_day_the_last_one_stopped(admin, source):
    # An end is the day the person stopped: Ian Ayres stopped on 12 March, Glenn Douglas began.
    glenn = Assignment.objects.get(post__title="Accountable officer, West Kent CCG", end=None)
    assert glenn.start == day("2018-03-12")
    services.assignment_end(
        assignment=glenn, end=day("2018-06-30"), reason="Test: leaves", user=admin
    )

    successor = start(
        "Ann Other", "Accountable officer, West Kent CCG", admin, source, start=day("2018-06-30")
    )

    assert successor.pk


def test_a_post_with_two_seats_takes_two_holders_and_refuses_a_third(admin, source):
    finance = "Director of finance"
    start("First Director", finance, admin, source, start=day("2018-04-01"))
    start("Second Director", finance, admin, source, start=day("2018-04-01"))

    with pytest.raises(ValidationError) as refused:
        start("Third Director", finance, admin, source, start=day("2018-05-01"))

    assert "First Director" in refused.value.message_dict["post"][0]
    assert "Second Director" in refused.value.message_dict["post"][0]


def test_an_end_before_the_start_is_refused_by_the_service(admin, kent_medway):
    glenn = Assignment.objects.get(post__title="Accountable officer (strategic commissioner)")

    with pytest.raises(ValidationError) as refused:
        services.assignment_end(assignment=glenn, end=day("2018-03-01"), reason="Test", user=admin)

    assert refused.value.message_dict["end"] == ["The end date cannot be before the start date."]
    glenn.refresh_from_db()
    assert glenn.end is None


def test_the_database_itself_refuses_an_end_before_the_start(admin, kent_medway):
    glenn = Assignment.objects.get(post__title="Accountable officer (strategic commissioner)")
    glenn.end = day("2018-03-01")

    # Saved past the service and past full_clean(): only the CheckConstraint stands in the way.
    # update() is refused outright (no history row); a save with a user and reason reaches
    # the database.
    with pytest.raises(TypeError, match="would leave no history row"):
        Assignment.objects.filter(pk=glenn.pk).update(end=day("2018-03-01"))

    with pytest.raises(IntegrityError), transaction.atomic():
        save_with_history(glenn, user=admin, reason="Past the service")


def test_ending_an_assignment_writes_history_with_who_and_why_and_a_timeline_event(admin, source):
    hazel = Assignment.objects.get(
        person__name="Hazel Smith", post__title="Accountable officer, South Kent Coast CCG"
    )

    services.assignment_end(
        assignment=hazel,
        end=day("2018-04-30"),
        end_precision="month",
        sources=[source],
        reason="Test: left South Kent Coast",
        user=admin,
    )

    hazel.refresh_from_db()
    assert (hazel.end, hazel.end_display) == (day("2018-04-30"), "April 2018")
    latest = hazel.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        admin,
        "Test: left South Kent Coast",
    )
    event = TimelineEvent.objects.about(hazel).get(kind=EventKind.ASSIGNMENT_END)
    assert event.title == (
        "Hazel Smith leaves Accountable officer, South Kent Coast CCG (April 2018)"
    )
    assert event.ccg.name == "South Kent Coast"
    assert [s.key for s in event.sources.all()] == ["003"]


def test_an_ended_assignment_cannot_be_ended_again(admin, kent_medway):
    ian = Assignment.objects.get(
        post__title="Accountable officer, West Kent CCG", end__isnull=False
    )

    with pytest.raises(ValidationError) as refused:
        services.assignment_end(assignment=ian, end=day("2018-05-01"), reason="x", user=admin)

    assert refused.value.message_dict["end"] == ["This assignment already ended on 12 March 2018."]


def test_correcting_a_start_is_checked_for_clashes_and_kept_in_history(admin, source):
    ian = Assignment.objects.get(
        post__title="Accountable officer, West Kent CCG", end__isnull=False
    )
    glenn = Assignment.objects.get(post__title="Accountable officer, West Kent CCG", end=None)

    # Moving Glenn Douglas's start back into Ian Ayres's time would give the post two holders.
    with pytest.raises(ValidationError):
        services.assignment_update(
            assignment=glenn, start=day("2018-03-01"), sources=[source], reason="x", user=admin
        )
    services.assignment_update(
        assignment=ian,
        start=day("2016-04-01"),
        start_precision="month",
        sources=[source],
        reason="Test: a later source dates his start",
        user=admin,
    )

    ian.refresh_from_db()
    assert ian.start_display == "April 2016"
    assert ian.history.latest().history_change_reason == "Test: a later source dates his start"
    assert (
        TimelineEvent.objects.about(ian)
        .filter(title__endswith="(start corrected)", date=day("2016-04-30"))
        .exists()
    )


def test_a_failure_after_the_save_leaves_no_assignment_and_no_history(admin, source, monkeypatch):
    assignments, history = Assignment.objects.count(), Assignment.history.count()

    def broken_timeline(**kwargs):
        raise RuntimeError("timeline unavailable")

    monkeypatch.setattr(services, "timeline_add", broken_timeline)
    with pytest.raises(RuntimeError):
        start(
            "Director of nursing and quality",
            "Director of nursing and quality",
            admin,
            source,
            start=day("2018-04-01"),
        )

    assert Assignment.objects.count() == assignments
    assert Assignment.history.count() == history


def test_a_failed_function_move_leaves_the_function_and_its_history_alone(
    staff, source, monkeypatch
):
    stroke = CommissioningFunction.objects.get(name="Stroke review")

    def broken_timeline(**kwargs):
        raise RuntimeError("timeline unavailable")

    monkeypatch.setattr(services, "timeline_add", broken_timeline)
    with pytest.raises(RuntimeError):
        services.function_move(
            function=stroke,
            level=Level.CCG,
            since=day("2018-05-01"),
            since_precision="month",
            placed_by="Workshop",
            sources=[source],
            reason="x",
            user=staff,
            expected_version=1,
        )

    stroke.refresh_from_db()
    assert (stroke.level, stroke.version, stroke.history.count()) == (Level.KENT_AND_MEDWAY, 1, 1)


def test_two_seats_count_holders_at_once_not_over_the_whole_term(admin, source):
    finance = "Director of finance"
    start("Spring Director", finance, admin, source, start=day("2018-04-01"), end=day("2018-06-01"))
    start("Summer Director", finance, admin, source, start=day("2018-06-01"))

    # Never more than two at once: spring then summer, each alongside the new one.
    start("Long Director", finance, admin, source, start=day("2018-04-01"))

    with pytest.raises(ValidationError):
        start("Fourth Director", finance, admin, source, start=day("2018-07-01"))
