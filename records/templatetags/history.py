"""Cells of the admin's audit history, in words (``records.admin_history``)."""

from django import template
from django.core.exceptions import FieldDoesNotExist

from records.admin_history import person_name, shown

register = template.Library()


@register.filter
def history_cell(record, column):
    """``column`` of history ``record``: a model field as the pages show it, else as given."""
    try:
        field = record.instance_type._meta.get_field(column)
    except FieldDoesNotExist:
        return getattr(record, column, "")
    return shown(record, field)


@register.filter
def history_who(record):
    return person_name(record.history_user)
