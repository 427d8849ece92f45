"""Filters the NHS.UK field-group templates (templates/forms/) need."""

from django import template

register = template.Library()

DATE_PARTS = (("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4"))


@register.filter
def sibling(field, name):
    """The bound field called ``name`` in ``field``'s form (a date's precision); None if none."""
    return field.form[name] if name else None


@register.filter
def date_parts(values):
    """(part, label, box width, value) for the day, month and year boxes of a date input."""
    values = list(values or ["", "", ""])
    return [(*part, value) for part, value in zip(DATE_PARTS, values, strict=True)]


@register.filter
def outlines(errors, part):
    """Whether a date's error is about the ``part`` box: "must include a year" is about the
    year alone; any other error (not a real date, out of range) is about every box."""
    if not errors:
        return False
    code = errors.as_data()[0].code or ""
    return "missing" not in code or part in code


@register.filter
def described_by(field):
    """The ids of a field's hint and error, for aria-describedby ('' when it has neither)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)
