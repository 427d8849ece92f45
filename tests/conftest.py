import datetime

import pytest

from demo.loader import load_kent_medway_2018

from .factories import admin_user, scrutiny_user, staff_user


@pytest.fixture
def kent_medway(db):
    """The 2018 story, loaded as a newcomer's `make run` loads it."""
    load_kent_medway_2018()


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
