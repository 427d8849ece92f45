from django import forms

from ccgs.models import CCG, LocalityGroup
from records.models import EventKind
from records.points import EARLIEST, LATEST

from .selectors import Cursor

DATE_HELP = "For example, 2018-03-13"
OUT_OF_RANGE = "must be between 1900 and 2100"


class TimelineFilterForm(forms.Form):
    """The timeline's filters, read from the query string so a filtered view can be bookmarked."""

    # Plain choice fields filled once per request: one query each for the options,
    # which both validation and the page's select boxes then use.
    ccg = forms.ChoiceField(
        required=False,
        label="CCG",
        error_messages={
            "invalid_choice": "There is no CCG with that name; choose one from the list."
        },
    )
    locality = forms.ChoiceField(
        required=False,
        label="Locality group",
        error_messages={
            "invalid_choice": "There is no locality group with that name; choose one from the list."
        },
    )
    date_from = forms.DateField(
        required=False,
        label="From",
        help_text=DATE_HELP,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "The 'from' date must be written YYYY-MM-DD, like 2018-02-01."},
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        help_text=DATE_HELP,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "The 'to' date must be written YYYY-MM-DD, like 2018-04-30."},
    )
    known_at = forms.DateField(
        required=False,
        label="As recorded on",
        help_text="Only what the record knew by the end of this day. " + DATE_HELP,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "The 'as recorded on' date must be written YYYY-MM-DD, like 2018-03-01."
        },
    )
    recorded_since = forms.DateField(
        required=False,
        label="Recorded after",
        help_text="Only what the record learnt after the end of this day, for example "
        "since a committee meeting. " + DATE_HELP,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": "The 'recorded after' date must be written YYYY-MM-DD, like 2018-04-27."
        },
    )
    kind = forms.MultipleChoiceField(
        choices=EventKind.choices,
        required=False,
        label="Kind of event",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "%(value)s is not a kind of event this timeline has."},
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)
    before = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ccgs = {ccg.slug: ccg for ccg in CCG.objects.order_by("name")}
        self.localities = {group.slug: group for group in LocalityGroup.objects.all()}
        self.fields["ccg"].choices = [("", "All CCGs")] + [
            (slug, ccg.name) for slug, ccg in self.ccgs.items()
        ]
        self.fields["locality"].choices = [("", "All locality groups")] + [
            (slug, group.name) for slug, group in self.localities.items()
        ]

    def clean_ccg(self):
        return self.ccgs.get(self.cleaned_data.get("ccg"))

    def clean_locality(self):
        return self.localities.get(self.cleaned_data.get("locality"))

    def clean_after(self):
        return self._cursor("after")

    def clean_before(self):
        return self._cursor("before")

    def _cursor(self, name):
        text = self.cleaned_data.get(name)
        if not text:
            return None
        try:
            return Cursor.parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        labels = {"date_from": "The 'from' date", "date_to": "The 'to' date"}
        labels["known_at"] = "The 'as recorded on' date"
        labels["recorded_since"] = "The 'recorded after' date"
        for name, label in labels.items():
            value = data.get(name)
            if value and not EARLIEST <= value <= LATEST:
                self.add_error(name, f"{label} {OUT_OF_RANGE}.")
                data.pop(name, None)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date cannot be before the 'from' date.")
        return data

    def filters(self):
        data = self.cleaned_data
        return {
            "ccg": data.get("ccg"),
            "locality_group": data.get("locality"),
            "kinds": data.get("kind") or (),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "known_at": data.get("known_at"),
            "recorded_since": data.get("recorded_since"),
        }

    def query_without_cursor(self):
        """The filters as a query string, to which a page link adds its cursor."""
        params = self.data.copy()
        for name in ("after", "before", "format"):
            params.pop(name, None)
        return params.urlencode()
