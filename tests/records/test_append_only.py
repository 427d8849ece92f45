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


@pytest.mark.parametrize(
    "write",
    [
        lambda: Source.objects.update(title="rewritten"),
        lambda: Source.objects.bulk_create([Source(title="x", publisher="y", quote="z")]),
        lambda: Source._base_manager.filter(pk=1).update(title="rewritten"),
        lambda: Source.history.all().delete(),
        lambda: Source.history.update(title="rewritten"),
    ],
    ids=["update", "bulk_create", "base manager", "history delete", "history update"],
)
def test_the_orm_paths_that_skip_history_are_refused_everywhere(kent_medway, write):
    before = (list(Source.objects.values_list("title", flat=True)), Source.history.count())

    with pytest.raises(TypeError, match="history"):
        write()

    assert (list(Source.objects.values_list("title", flat=True)), Source.history.count()) == before


@pytest.mark.parametrize(
    "model",
    ["ccgs.CCG", "decisions.Decision", "decisions.Membership", "roles.Assignment"],
)
def test_every_tracked_model_refuses_queryset_update(kent_medway, model):
    from django.apps import apps

    with pytest.raises(TypeError):
        apps.get_model(model).objects.all().update(pk=0)
