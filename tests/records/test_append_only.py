"""Nothing rewrites what was recorded: on PostgreSQL the database refuses it outright."""

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError

from records.models import Source, TimelineEvent

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the triggers are PostgreSQL's; CI runs these tests on PostgreSQL",
)


@needs_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE records_historicalsource SET title = 'rewritten'",
        "DELETE FROM records_historicalsource",
        "UPDATE decisions_historicalmembership SET status = 'opted_out'",
        "DELETE FROM decisions_historicaldecision",
        "UPDATE records_timelineevent SET title = 'rewritten'",
        "DELETE FROM records_timelineevent",
    ],
)
def test_raw_sql_cannot_change_or_delete_history_or_the_timeline(kent_medway, sql):
    before = (Source.history.count(), TimelineEvent.objects.count())

    with (
        pytest.raises(InternalError, match="Cannot"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute(sql)

    assert (Source.history.count(), TimelineEvent.objects.count()) == before
