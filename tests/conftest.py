"""The 2018 story is in the test database for every test.

``django_db_setup`` loads it once per test database (once per pytest-xdist
worker, each of which has its own database). Ordinary tests run inside a
transaction that is rolled back, so each starts from the same story; tests that
need only a few rows of their own make them with ``tests.factories`` and assert
on those rows, not on counts of everything.

Transactional tests (live server, threads) commit for real, and pytest-django
empties every table after each one and runs them after all the others. Those
that need the story ask for ``kent_medway``, which puts it back.
"""

import datetime
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from demo.loader import load_kent_medway_2018
from records.models import Source

from .factories import admin_user, scrutiny_user, staff_user


class StorySnapshot:
    """The 2018 story as loaded, kept so it can be put back after a transactional test.

    On SQLite the whole database is copied with SQLite's backup API, to memory and
    back, in milliseconds. Elsewhere the story is kept as a fixture file (one per
    process, so one per xdist worker) and loaded back with ``loaddata``: a fraction of
    the time of loading it through the services again, and the same rows.
    """

    def __init__(self):
        self.memory = None
        self.path = Path(tempfile.gettempdir()) / f"kmcommission-story-{os.getpid()}.json"

    def take(self):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.memory = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.memory)
            return
        # Groups (and their history) are made again by every flush (records.groups).
        call_command(
            "dumpdata",
            *STORY_APPS,
            exclude=["records.historicalgroup"],
            natural_foreign=True,
            output=str(self.path),
            verbosity=0,
        )

    def put_back(self):
        if self.memory is not None:
            connection.ensure_connection()
            self.memory.backup(connection.connection)
            return
        call_command("loaddata", str(self.path), verbosity=0)

    def discard(self):
        if self.memory is not None:
            self.memory.close()
        self.path.unlink(missing_ok=True)


STORY = StorySnapshot()
STORY_APPS = ["records", "ccgs", "decisions", "roles", "scrutiny", "auth.user"]


@pytest.fixture(scope="session")
def django_db_use_migrations(request):
    """On PostgreSQL (CI, production's database) the test database is built by running
    every migration. On SQLite (a laptop's `make test`) it is built from the models, as
    pytest-django's --nomigrations does: the same tables in about half a second instead of
    seven, the migrations having only SQLite's table rebuilds to add. The models and the
    migrations are kept equal by ``test_no_model_change_lacks_a_migration``, and
    ``--migrations`` runs them on SQLite too.
    """
    if request.config.getoption("nomigrations"):
        return False
    if "--migrations" in request.config.invocation_params.args:
        return True
    return connection.vendor != "sqlite"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 2018 story into the new test database, once, as `make run` loads it."""
    with django_db_blocker.unblock():
        load_kent_medway_2018()
        STORY.take()
    yield
    STORY.discard()


@pytest.fixture
def kent_medway(db):
    """The 2018 story, loaded as a newcomer's `make run` loads it.

    Already there (see ``django_db_setup``), unless a transactional test before
    this one emptied the database: then the same rows are put back.
    """
    if not Source.objects.filter(key="001").exists():  # the story's first source
        STORY.put_back()


@pytest.fixture(autouse=True)
def _story_before_other_rows(request):
    # Putting the story back on SQLite replaces the whole database, so it must come
    # before any fixture that adds rows of its own (the users below).
    if "kent_medway" in request.fixturenames:
        request.getfixturevalue("kent_medway")


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
