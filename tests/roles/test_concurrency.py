"""Two admins give the same single-seat post to two people at once: exactly one wins."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from records.models import Source
from roles import services
from roles.models import Assignment, Post
from tests.conftest import day
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_assignments_of_one_post_leave_exactly_one_holder(kent_medway, admin):
    post = Post.objects.get(title="Director of corporate services")
    source = Source.objects.get(key="003")
    people = [PersonFactory(name=f"Candidate {n}") for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def appoint(person):
        try:
            barrier.wait()
            services.assignment_start(
                person=person,
                post=post,
                start=day("2018-04-01"),
                sources=[source],
                reason="Race",
                user=admin,
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=appoint, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "saved"]
    assert Assignment.objects.filter(post=post).count() == 1
