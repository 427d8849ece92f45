"""Saving tracked rows so that their history row says who, why and when."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_change_reason_from_object

from .points import recorded_by

NOT_CITED = object()


def save_with_history(obj, *, user, reason, recorded_at=None, cites=NOT_CITED):
    """Save ``obj`` with a history row naming ``user`` and ``reason``.

    ``cites``: the sources the row cites from now on (its ``sources``), recorded
    in the same history row. ``recorded_at`` back-dates the history row; only the
    demo-data loader uses it, so that the audit history reads as 2018 did.
    """
    if user is None:
        raise ValueError("Every tracked change must name the user who made it.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for this change."})
    obj._history_user = user
    obj._change_reason = reason.strip()
    if recorded_at is not None:
        obj._history_date = recorded_at
    if cites is not NOT_CITED:
        cites = list(cites)
        obj._cites = cites
    try:
        obj.save()
        if cites is not NOT_CITED:
            obj.sources.set(cites)
    finally:
        # The attributes would otherwise leak into the object's next save.
        for attr in ("_history_user", "_change_reason", "_history_date", "_cites"):
            obj.__dict__.pop(attr, None)


class UnattributedChange(TypeError):
    """A tracked row written without saying who made the change and why."""


# Every model whose changes must say who and why (filled as the models are prepared).
ATTRIBUTED_MODELS = []


class AttributedHistoricalRecords(HistoricalRecords):
    """simple-history that refuses, before anything is written, a save or delete of a
    tracked row that does not name the user and the reason.

    Services say both through ``save_with_history``; the admin through the request's user
    and its "Reason for this change" box. Rows loaded by ``loaddata`` (raw) are already
    history. Migrations use their own historical models, which send no signals here.
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            ATTRIBUTED_MODELS.append(sender)
            models.signals.pre_save.connect(self.refuse_unattributed, sender=sender, weak=False)
            models.signals.pre_delete.connect(self.refuse_unattributed, sender=sender, weak=False)

    def refuse_unattributed(self, sender, instance, raw=False, **kwargs):
        if raw:
            return
        reason = (get_change_reason_from_object(instance) or "").strip()
        if self.get_history_user(instance) is None or not reason:
            label = sender._meta.label
            raise UnattributedChange(
                f"{label} rows are saved with the user and the reason for the change, so "
                "that the audit history says who changed what and why: use the service "
                "that owns them (or the admin), which call records.history.save_with_history."
            )


class CitesSources(models.Model):
    """The sources a row cited, kept in each of its history rows.

    Sources are many-to-many, which simple-history would record as a second history row
    per change (and with no reason); here the history row made by the save carries them.
    Each is kept as it was then: its id and its title.
    """

    cited_sources = models.JSONField("cited sources", default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def cited(self):
        return "; ".join(source["title"] for source in self.cited_sources) or "None"


def _record_cited_sources(sender, instance, history_instance, **kwargs):
    if not isinstance(history_instance, CitesSources):
        return
    cites = getattr(instance, "_cites", NOT_CITED)
    if cites is NOT_CITED:  # a change that leaves the sources as they were
        cites = instance.sources.all() if instance.pk else []
    history_instance.cited_sources = [{"id": s.pk, "title": s.title} for s in cites]


pre_create_historical_record.connect(_record_cited_sources)


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


def audit_history(*, cites_sources=False, **options):
    """The ``history`` of a tracked model: simple-history, append-only, every row naming
    who and why; with ``cites_sources``, each row also keeps the sources then cited."""
    if cites_sources:
        options["bases"] = [CitesSources]
    return AttributedHistoricalRecords(historical_queryset=AppendOnlyHistoryQuerySet, **options)
