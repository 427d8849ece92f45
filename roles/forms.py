"""Forms for placing and moving commissioning functions (the team is edited in the admin).

The date is the NHS.UK three-box date input with a precision select, read as the
decision form reads it (``decisions.forms.entered``): boxes left empty make the
date vaguer, and the select never invents a day or month that was not typed."""

from django import forms

from records.dates import Precision
from records.forms import DATE_HINT, PRECISION_HELP, ServiceErrorsMixin, entered, nhsuk
from records.models import Source
from records.selectors import source_choice_label, sources_to_cite
from records.widgets import DateInputField

from .models import CommissioningFunction, Level


class PlacementForm(ServiceErrorsMixin, forms.Form):
    """Level, date (with its precision), what placed it there, its sources and the reason."""

    level = nhsuk(
        forms.ChoiceField(
            label="Level",
            choices=Level.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the level the function sits at."},
        ),
        legend="s",
    )
    since = nhsuk(
        DateInputField(
            label="Date placed at this level",
            allow_partial=True,
            help_text=DATE_HINT,
            error_messages={"required": "Enter the date it was placed at this level."},
        ),
        legend="s",
        precision="since_precision",
    )
    since_precision = forms.ChoiceField(
        label="How precise is the date",
        choices=Precision.choices,
        initial=Precision.DAY,
        help_text=PRECISION_HELP,
        error_messages={"required": "Choose how precise the date is."},
    )
    placed_by = nhsuk(
        forms.CharField(
            label="Placed by",
            max_length=300,
            help_text="The decision or design workshop that placed it here, e.g. "
            "“Design workshop, March 2018”.",
            error_messages={"required": "Say which decision or workshop placed it here."},
        ),
        width="full",
    )
    sources = nhsuk(
        forms.ModelMultipleChoiceField(
            label="Sources",
            queryset=Source.objects.all(),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Cite at least one source."},
        ),
        legend="s",
    )
    reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit history with your name.",
        error_messages={"required": "Give the reason for this change."},
    )

    def __init__(self, *args, commissioner=None, **kwargs):
        """``commissioner``: the arrangement whose function it is (any source may be cited:
        a source belongs to every arrangement whose record cites it)."""
        super().__init__(*args, **kwargs)
        self.commissioner = commissioner
        self.fields["sources"].queryset = sources_to_cite(commissioner)
        self.fields["sources"].label_from_instance = source_choice_label

    def placement_arguments(self):
        """The cleaned data as ``function_place``/``function_move`` keyword arguments."""
        data = self.cleaned_data
        since, since_precision = entered(data["since"], data["since_precision"])
        return {
            "level": data["level"],
            "since": since,
            "since_precision": since_precision,
            "placed_by": data["placed_by"],
            "sources": list(data["sources"]),
            "reason": data["reason"],
        }


class FunctionMoveForm(PlacementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FunctionAddForm(PlacementForm):
    name = nhsuk(
        forms.CharField(
            label="Function",
            max_length=200,
            error_messages={"required": "Enter the name of the function."},
        ),
        width="full",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["name", "description"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        functions = CommissioningFunction.objects.filter(name__iexact=name)
        if self.commissioner is not None:
            functions = functions.filter(commissioner=self.commissioner)
        if functions.exists():
            raise forms.ValidationError(
                "There is already a function with that name: move it instead."
            )
        return name
