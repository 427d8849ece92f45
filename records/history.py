"""Saving tracked rows so that their history row says who, why and when."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords

from .points import recorded_by


def save_with_history(obj, *, user, reason, recorded_at=None):
    """Save ``obj`` with a history row naming ``user`` and ``reason``.

    ``recorded_at`` back-dates the history row; only the demo-data loader
    uses it, so that the audit history reads as 2018 did.
    """
    if user is None:
        raise ValueError("Every tracked change must name the user who made it.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for this change."})
    obj._history_user = user
    obj._change_reason = reason.strip()
    if recorded_at is not None:
        obj._history_date = recorded_at
    try:
        obj.save()
    finally:
        # The attributes would otherwise leak into the object's next save.
        for attr in ("_history_user", "_change_reason", "_history_date"):
            obj.__dict__.pop(attr, None)


class StaleEdit(Exception):
    """The record changed after the form was opened; ``changes`` are the history rows since."""

    def __init__(self, changes):
        self.changes = list(changes)
        super().__init__("The record was changed by someone else after you opened the form.")


def in_effect_rows(queryset, history_model, on, known_at=None, date_field="since"):
    """History rows of ``queryset`` in effect on ``on``, as recorded on the day ``known_at``.

    Returns a dict {object id: historical row}, one query for the ids and one
    for the rows, however long the history.
    """
    rows = history_model.objects.filter(id=models.OuterRef("pk"), **{f"{date_field}__lte": on})
    if known_at is not None:
        rows = rows.filter(history_date__lte=recorded_by(known_at))
    rows = rows.order_by(f"-{date_field}", "-history_date", "-history_id")
    row_ids = (
        queryset.annotate(row_id=models.Subquery(rows.values("history_id")[:1]))
        .exclude(row_id=None)
        .values_list("row_id", flat=True)
    )
    return {row.id: row for row in history_model.objects.filter(history_id__in=list(row_ids))}


class GuardedQuerySet(models.QuerySet):
    """The queryset of every tracked model: rows are written one at a time, through the
    model's service or the admin, so that each change has a history row with who and why.

    ``update()``, ``bulk_create()`` and ``bulk_update()`` write no history rows; they are
    refused, on the default manager and (``Meta.base_manager_name``) the base manager too.
    """

    def _refuse(self, method):
        label = self.model._meta.label
        raise TypeError(
            f"{label} rows are not written with {method}(): it would leave no history row. "
            f"Change them one by one through {self.model._meta.app_label}.services (or the "
            "admin), which saves each with the user and the reason."
        )

    def update(self, **kwargs):
        self._refuse("update")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("bulk_update")

    def bulk_create(self, objs, *args, **kwargs):
        self._refuse("bulk_create")


class AppendOnlyHistoryQuerySet(HistoricalQuerySet):
    """History rows are added, never changed or removed (PostgreSQL refuses it too)."""

    def update(self, **kwargs):
        raise TypeError("The audit history is append-only: its rows are never updated.")

    def delete(self):
        raise TypeError("The audit history is append-only: its rows are never deleted.")


def audit_history(**options):
    """The ``history`` of a tracked model: simple-history, append-only."""
    return HistoricalRecords(historical_queryset=AppendOnlyHistoryQuerySet, **options)
