"""Saving tracked rows so that their history row says who, why and when."""

from django.core.exceptions import ValidationError
from django.db import models

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
