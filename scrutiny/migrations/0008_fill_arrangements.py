"""Every post, function, meeting, claim, conflict and timeline event gets the arrangement whose
record it is part of, in a database that already holds one record (or more).

The record held one arrangement, or several loaded from record files: a row goes to the
arrangement whose file brought it in (the row's first history row names the file's own
user, who cannot sign in, as ``interchange.exporter`` tells them apart), else to the default
arrangement (``DEFAULT_ARRANGEMENT``, else the first). A timeline event goes where what it
is about went: a decision's (or its withdrawal's) to the decision's arrangement, an
assignment's to its post's. History rows are left as they were recorded.

On PostgreSQL the timeline is append-only (a trigger refuses UPDATE); the new column is
filled once here with the trigger told to let this migration's updates through. Written with
plain updates on purpose: a schema change, not a change to the record (no history rows).
"""

from django.conf import settings
from django.db import migrations


def _default(arrangements):
    wanted = getattr(settings, "DEFAULT_ARRANGEMENT", "")
    return next((a for a in arrangements if wanted and a.slug == wanted), arrangements[0])


def _file_users(apps, arrangements):
    """{user id: arrangement id} for the users record files' imports made (inactive)."""
    history = apps.get_model("ccgs", "HistoricalCommissioner")
    users = {}
    for arrangement in arrangements:
        first = (
            history.objects.filter(id=arrangement.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
            .first()
        )
        user = first.history_user if first else None
        if user is not None and not user.is_active:
            users.setdefault(user.pk, arrangement.pk)
    return users


def _by_creator(apps, app_label, model_name, users, default):
    """{row id: arrangement id} for every row of the model, by who created it."""
    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    created = dict(history.objects.filter(history_type="+").values_list("id", "history_user_id"))
    return {
        pk: users.get(created.get(pk), default) for pk in model.objects.values_list("pk", flat=True)
    }


def _fill(model, arrangement_of):
    for arrangement in set(arrangement_of.values()):
        ids = [pk for pk, each in arrangement_of.items() if each == arrangement]
        for start in range(0, len(ids), 500):
            model.objects.filter(pk__in=ids[start : start + 500]).update(
                commissioner_id=arrangement
            )


def fill(apps, schema_editor):
    Commissioner = apps.get_model("ccgs", "Commissioner")
    arrangements = list(Commissioner.objects.order_by("pk"))
    TimelineEvent = apps.get_model("records", "TimelineEvent")
    owned = [
        ("roles", "Post"),
        ("roles", "CommissioningFunction"),
        ("scrutiny", "ScrutinyMeeting"),
        ("records", "Claim"),
        ("records", "Conflict"),
    ]
    if not arrangements:
        if TimelineEvent.objects.exists() or any(
            apps.get_model(*name).objects.exists() for name in owned
        ):
            raise RuntimeError(
                "The record holds facts but no arrangement (ccgs.Commissioner) to give them to: "
                "add the arrangement (the admin, or import_record) with the code before this "
                "migration, then migrate again."
            )
        return
    default = _default(arrangements).pk
    users = _file_users(apps, arrangements)
    of = {name: _by_creator(apps, *name, users, default) for name in owned}
    for (app_label, model_name), arrangement_of in of.items():
        _fill(apps.get_model(app_label, model_name), arrangement_of)

    Source = ("records", "Source")
    of[Source] = _by_creator(apps, *Source, users, default)
    Decision = apps.get_model("decisions", "Decision")
    Withdrawal = apps.get_model("decisions", "Withdrawal")
    Assignment = apps.get_model("roles", "Assignment")
    HistoricalFunction = apps.get_model("roles", "HistoricalCommissioningFunction")
    decisions = dict(Decision.objects.values_list("pk", "commissioner_id"))
    subjects = {
        ("decisions", "decision"): decisions,
        ("decisions", "withdrawal"): {
            pk: decisions[decision]
            for pk, decision in Withdrawal.objects.values_list("pk", "decision_id")
        },
        ("roles", "assignment"): {
            pk: of[("roles", "Post")][post]
            for pk, post in Assignment.objects.values_list("pk", "post_id")
        },
        # A placement's event is about the function's history row as it was placed.
        ("roles", "historicalcommissioningfunction"): {
            history_id: of[("roles", "CommissioningFunction")].get(function, default)
            for history_id, function in HistoricalFunction.objects.values_list("history_id", "id")
        },
        **{(app.lower(), model.lower()): rows for (app, model), rows in of.items()},
    }
    arrangement_of = {}
    events = TimelineEvent.objects.values_list(
        "pk", "subject_type__app_label", "subject_type__model", "subject_id"
    )
    for pk, app_label, model_name, subject_id in events.iterator():
        arrangement_of[pk] = subjects.get((app_label, model_name), {}).get(subject_id, default)
    if schema_editor.connection.vendor == "postgresql":
        import pgtrigger

        with pgtrigger.ignore("records.TimelineEvent:append_only"):
            _fill(TimelineEvent, arrangement_of)
    else:
        _fill(TimelineEvent, arrangement_of)


class Migration(migrations.Migration):
    dependencies = [
        ("ccgs", "0004_commissioner_slug"),
        ("decisions", "0005_historicaldecision_cited_sources"),
        ("records", "0009_arrangement_of_events_claims_conflicts"),
        ("roles", "0005_arrangement_of_posts_and_functions"),
        ("scrutiny", "0007_arrangement_of_meetings"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
