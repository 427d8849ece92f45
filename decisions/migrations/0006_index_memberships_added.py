"""An index for "when did the record add this CCG to the arrangement?"
(``decisions.selectors.arrangement_ccgs_on``, on every point-in-time page): the first
creation row of each membership's history. Without it PostgreSQL read every history row
of a CCG's membership (thousands for a busy one) to find the one creation row.

Raw SQL because simple-history's historical models take no ``Meta.indexes``; it is a
partial index, which PostgreSQL and SQLite both build, and it changes no model state.
"""

from django.db import migrations

INDEX = "decisions_historicalmembership_added"


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_historicaldecision_cited_sources"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON decisions_historicalmembership "
            "(commissioner_id, ccg_id, history_date) WHERE history_type = '+'",
            f"DROP INDEX {INDEX}",
        ),
    ]
