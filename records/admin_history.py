"""The admin's audit history in words a reader uses, not the database's.

simple-history lists each change as stored: "status: opted_out -> joined", a month-only
start as "28 Feb 2018", users by username. Here a change shows the choice's label, a
date as precise as its source ("February 2018", "by 12 March 2018"), a date's precision
folded into the date, people by full name, and "not given" for an empty value.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .dates import format_fuzzy

NOT_GIVEN = "not given"


def person_name(user):
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _precision_of(record, name):
    """The precision stored beside date field ``name`` in ``record``, if the model has one."""
    return getattr(record, f"{name}_precision", None)


def shown(record, field, value=models.NOT_PROVIDED):
    """``field``'s value in history ``record`` as the pages show it."""
    if value is models.NOT_PROVIDED:
        value = getattr(record, field.attname, None)
    if value is None or value == "":
        return NOT_GIVEN
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(field, models.DateTimeField):
        return f"{value:%-d %B %Y, %H:%M}"
    if isinstance(field, models.DateField):
        precision = _precision_of(record, field.name)
        return format_fuzzy(value, precision) if precision else f"{value:%-d %B %Y}"
    if field.is_relation and field.related_model is not None:
        related = getattr(record, field.name, None)
        if hasattr(related, "get_full_name"):
            return person_name(related)
        return str(related) if related is not None else NOT_GIVEN
    return str(value)


# Bookkeeping a reader has no use for: the form version that guards against two edits at once.
HIDDEN = {"version"}


def readable_changes(delta, old, new):
    """[{"field", "old", "new"}] for a simple-history ``delta`` between ``old`` and ``new``.

    A date's precision is shown within the date ("by 12 March 2018"), so a change of
    precision is a change of the date, on one line with it.
    """
    opts = new.instance_type._meta
    changed = {change.field for change in delta.changes}
    lines, seen = [], set()
    for change in delta.changes:
        name = change.field
        date_name = name.removesuffix("_precision")
        if name != date_name and _is_date(opts, date_name):
            name = date_name
        if name in seen or name in HIDDEN:
            continue
        seen.add(name)
        if name == "cited_sources":
            lines.append({"field": "Sources cited", "old": _titles(old), "new": _titles(new)})
            continue
        field = opts.get_field(name)
        lines.append(
            {
                "field": str(field.verbose_name).capitalize(),
                "old": shown(old, field),
                "new": shown(new, field),
            }
        )
    return lines if changed else []


def _titles(record):
    return "; ".join(s["title"] for s in getattr(record, "cited_sources", None) or []) or NOT_GIVEN


def _is_date(opts, name):
    try:
        return isinstance(opts.get_field(name), models.DateField)
    except FieldDoesNotExist:
        return False


def column_label(model, name):
    """A history column's heading: the field's own name for it, in words."""
    if name == "cited":
        return "Sources cited"
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name.replace("_", " ").capitalize()
