import datetime

import pytest

from decisions.services import membership_open
from tests.factories import CCGFactory, CommissionerFactory, SourceFactory, UserFactory


@pytest.fixture
def commissioner(db):
    return CommissionerFactory()


@pytest.fixture
def source(db):
    return SourceFactory(title="Governing body minutes, 19 March 2018")


@pytest.fixture
def membership(db, commissioner, source):
    """A CCG considering membership, as every CCG starts.

    Its own CCG and commissioner, beside the 2018 story's (loaded for every test).
    """
    return membership_open(
        ccg=CCGFactory(name="Test Thanet", slug="test-thanet"),
        commissioner=commissioner,
        since=datetime.date(2018, 1, 31),
        since_precision="by_month",
        sources=[source],
        reason="Governing bodies discussing the proposal",
        user=UserFactory(username="opener"),
    )
