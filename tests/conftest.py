"""The 2018 story is in the test database for every test.

``django_db_setup`` loads it once per test database (once per pytest-xdist
worker, each of which has its own database). Ordinary tests run inside a
transaction that is rolled back, so each starts from the same story; tests that
need only a few rows of their own make them with ``tests.factories`` and assert
on those rows, not on counts of everything.

Transactional tests (live server, threads) commit for real, and pytest-django
empties every table after each one and runs them after all the others. Those
that need the story ask for ``kent_medway``, which loads it again.
"""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.loader import load_kent_medway_2018
from records.models import Source

from .factories import admin_user, scrutiny_user, staff_user

# The story as loaded, kept as a fixture file (one per process, so one per xdist worker):
# loading it back after a transactional test has emptied the database takes a fraction
# of the time of loading it through the services again, and gives the same rows.
STORY = Path(tempfile.gettempdir()) / f"kmcommission-story-{os.getpid()}.json"
STORY_APPS = ["records", "ccgs", "decisions", "roles", "scrutiny", "auth.user"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 2018 story into the new test database, once, as `make run` loads it."""
    with django_db_blocker.unblock():
        load_kent_medway_2018()
        # Groups (and their history) are made again by every flush (records.groups).
        call_command(
            "dumpdata",
            *STORY_APPS,
            exclude=["records.historicalgroup"],
            natural_foreign=True,
            output=str(STORY),
            verbosity=0,
        )
    yield
    STORY.unlink(missing_ok=True)


@pytest.fixture
def kent_medway(db):
    """The 2018 story, loaded as a newcomer's `make run` loads it.

    Already there (see ``django_db_setup``), unless a transactional test before
    this one emptied the database: then the same rows are loaded back.
    """
    if not Source.objects.filter(key="001").exists():  # the story's first source
        call_command("loaddata", str(STORY), verbosity=0)


@pytest.fixture
def staff(db):
    return staff_user(username="stp.staff", first_name="Pat", last_name="Staff")


@pytest.fixture
def scrutineer(db):
    return scrutiny_user(username="hosc.officer", first_name="Lee", last_name="Scrutiny")


@pytest.fixture
def admin(db):
    return admin_user(username="record.admin", first_name="Ari", last_name="Admin")


def day(text):
    return datetime.date.fromisoformat(text)
