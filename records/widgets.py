"""The NHS.UK date input (day, month, year boxes) as a Django form field.

Render it with ``{{ form.name.as_field_group }}`` (templates/forms/date_input.html);
errors follow the NHS.UK wording ("Meeting date must include a year",
"Meeting date must be a real date").

``DateInputField(label="Meeting date")`` cleans to a ``datetime.date``.
``DateInputField(label=..., allow_partial=True)`` accepts a month and year, or a
year alone, as sources often give no day, and cleans to an ``EnteredDate``: the
stored day (the last the statement could mean, see ``records.dates``) and
its precision.
"""

import datetime
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError

from .dates import EARLIEST, LATEST, Precision, no_such_day, normalise

PARTS = ("day", "month", "year")


class EnteredDate(NamedTuple):
    date: datetime.date
    precision: str


class DateInputWidget(forms.MultiWidget):
    """Three text boxes posted as ``<name>_day``, ``<name>_month`` and ``<name>_year``."""

    def __init__(self, attrs=None):
        boxes = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}
        super().__init__(boxes, attrs)

    def decompress(self, value):
        return parts_of(value)

    def id_for_label(self, id_):
        # The error summary links here: the first box.
        return f"{id_}_day" if id_ else ""


def parts_of(value):
    """[day, month, year] as text for a date, an EnteredDate or posted data."""
    if value is None or value == "":
        return ["", "", ""]
    if isinstance(value, EnteredDate):
        day, precision = value
        if precision == Precision.YEAR:
            return ["", "", str(day.year)]
        if precision in (Precision.MONTH, Precision.BY_MONTH):
            return ["", str(day.month), str(day.year)]
        return [str(day.day), str(day.month), str(day.year)]
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, list | tuple):
        return [str(part if part is not None else "").strip() for part in value]
    return ["", "", ""]


def _join(names):
    return " and ".join(names)


class DateInputField(forms.Field):
    widget = DateInputWidget

    def __init__(self, *, allow_partial=False, **kwargs):
        self.allow_partial = allow_partial
        custom_messages = kwargs.get("error_messages") or {}
        super().__init__(**kwargs)
        if "required" not in custom_messages:
            self.error_messages["required"] = f"Enter the {self._name(lower=True)}"

    def _name(self, lower=False):
        label = str(self.label or "Date")
        return label[0].lower() + label[1:] if lower else label

    def prepare_value(self, value):
        return parts_of(value)

    def to_python(self, value):
        if isinstance(value, EnteredDate | datetime.date) or value is None:
            return value
        day, month, year = (parts_of(value) + ["", "", ""])[:3]
        if not (day or month or year):
            return None
        given = dict(zip(PARTS, (day, month, year), strict=True))
        # A partial date needs its year, and a month if a day is given; a full one needs all.
        needed = ["year", "month" if day else None] if self.allow_partial else PARTS
        missing = [name for name in PARTS if name in needed and not given[name]]
        if missing:
            raise ValidationError(
                f"{self._name()} must include a {_join(missing)}",
                code="missing_" + "_".join(missing),
            )
        precision = Precision.DAY
        if not day:
            precision, day = (Precision.MONTH, "1") if month else (Precision.YEAR, "1")
            month = month or "1"
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self._name()} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            entered = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # "2147483648" overflows C's int
            problem = no_such_day(int(year), int(month), int(day))
            message = f"{self._name()} must be a real date"
            # "31 2 2018": say which part is wrong, not only that the date is not real.
            raise ValidationError(
                f"{message}: {problem}" if problem else message,
                code="invalid",
            ) from None
        if not EARLIEST <= entered <= LATEST:
            raise ValidationError(
                f"{self._name()} must be between 1900 and 2100", code="out_of_range"
            )
        if not self.allow_partial:
            return entered
        return EnteredDate(normalise(entered, precision), precision)

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
