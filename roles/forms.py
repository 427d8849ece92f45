"""Forms for placing and moving commissioning functions (the team is edited in the admin)."""

import datetime

from django import forms

from decisions.models import Source
from kmcommission.dates import Precision

from .models import CommissioningFunction, Level

# Which parts of the date each precision needs: a month says nothing about the day.
NEEDS_DAY = {Precision.DAY, Precision.ON_OR_BEFORE}
NEEDS_MONTH = NEEDS_DAY | {Precision.MONTH, Precision.BY_MONTH}


class PlacementForm(forms.Form):
    """Level, date (with its precision), what placed it there, its sources and the reason."""

    level = forms.ChoiceField(
        label="Level",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level the function sits at."},
    )
    since_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    since_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    since_year = forms.IntegerField(label="Year", required=False, min_value=2000, max_value=2100)
    since_precision = forms.ChoiceField(
        label="How precise is the date",
        choices=Precision.choices,
        initial=Precision.DAY,
        help_text="A source that only says “March 2018” is recorded as a month, not a day.",
    )
    placed_by = forms.CharField(
        label="Placed by",
        max_length=300,
        help_text="The decision or design workshop that placed it here, e.g. "
        "“Design workshop, March 2018”.",
        error_messages={"required": "Say which decision or workshop placed it here."},
    )
    sources = forms.ModelMultipleChoiceField(
        label="Sources",
        queryset=Source.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cite at least one source."},
    )
    reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit history with your name.",
        error_messages={"required": "Give the reason for this change."},
    )

    def clean(self):
        cleaned = super().clean()
        precision = cleaned.get("since_precision")
        day, month, year = (cleaned.get(f"since_{part}") for part in ("day", "month", "year"))
        if precision is None or any(f"since_{p}" in self.errors for p in ("day", "month", "year")):
            return cleaned
        missing = []
        if precision in NEEDS_DAY and not day:
            missing.append("day")
        if precision in NEEDS_MONTH and not month:
            missing.append("month")
        if not year:
            missing.append("year")
        if missing:
            self.add_error("since_day", f"The date must include a {' and a '.join(missing)}.")
            return cleaned
        try:
            cleaned["since"] = datetime.date(year, month or 1, day or 1)
        except ValueError:
            self.add_error("since_day", "The date must be a real date.")
        return cleaned


class FunctionMoveForm(PlacementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FunctionAddForm(PlacementForm):
    name = forms.CharField(
        label="Function",
        max_length=200,
        error_messages={"required": "Enter the name of the function."},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["name", "description"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if CommissioningFunction.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                "There is already a function with that name: move it instead."
            )
        return name
