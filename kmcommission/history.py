"""Saving tracked rows so that their history row says who, why and when."""

from django.core.exceptions import ValidationError


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
