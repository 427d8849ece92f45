"""Forms for recording decisions and sources. The rules live in ``decisions.services``
and ``Decision.clean``; these forms only collect and type the input, and place the
service's errors next to the fields they concern."""

from django import forms
from django.core.exceptions import ValidationError

from records.dates import Precision
from records.forms import (
    DATE_HINT,
    ServiceErrorsMixin,
    date_field,
    entered,
    nhsuk,
    precision_choice,
    web_address_field,
)
from records.models import Source, published_problem
from records.selectors import source_choice_label, sources_to_cite
from records.widgets import PARTS, DateInputField, EnteredDate

from .models import Body, Decision, Outcome


class DecisionForm(ServiceErrorsMixin, forms.Form):
    body = nhsuk(
        forms.ChoiceField(
            label="Deciding body",
            choices=Body.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the body that made the decision."},
        ),
        legend="s",
    )
    outcome = nhsuk(
        forms.ChoiceField(
            label="Outcome",
            choices=Outcome.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose what was decided."},
        ),
        legend="s",
    )
    meeting_date = date_field("Meeting date", precision="meeting_date_precision")
    meeting_date_precision = precision_choice("How exact is the meeting date?")
    effective_date = date_field(
        "Date it takes effect",
        hint=f"Needed when a CCG agrees or declines. {DATE_HINT}",
        precision="effective_date_precision",
    )
    effective_date_precision = precision_choice("How exact is the date it takes effect?")
    expected_date = date_field(
        "Date a decision is expected",
        hint=f"Only for a decision deferred to a later meeting. {DATE_HINT}",
        precision="expected_date_precision",
    )
    expected_date_precision = precision_choice("How exact is the expected date?")
    review_by = nhsuk(
        DateInputField(
            label="Review by (optional)",
            required=False,
            help_text="When a pending membership should next be looked at; "
            "defaults to the expected date. For example, 19 4 2018.",
        ),
        legend="s",
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was decided, in the source's words where you can.",
        error_messages={"required": "Summarise the decision."},
    )
    data_entry_note = forms.CharField(
        label="Data-entry note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything you had to decide while entering this, and why.",
    )
    source = forms.ModelChoiceField(
        label="Choose an existing source",
        queryset=Source.objects.order_by("-published", "title"),
        required=False,
        empty_label="None: I will add a new source below",
    )
    new_source_title = nhsuk(
        forms.CharField(label="Title", required=False, max_length=300), width="full"
    )
    new_source_publisher = nhsuk(
        forms.CharField(label="Publisher", required=False, max_length=200), width="30"
    )
    new_source_published = date_field("Date published", precision="new_source_published_precision")
    new_source_published_precision = precision_choice("How exact is the date published?")
    new_source_url = web_address_field()
    new_source_quote = forms.CharField(
        label="Quoted passage",
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A short passage that supports this decision, not the whole document.",
    )
    reason = forms.CharField(
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the audit history with your name.",
        error_messages={"required": "Give the reason for this change."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    service_field_map = {"sources": "source", "ccg": None}

    def __init__(self, *args, commissioner=None, **kwargs):
        """``commissioner``: the arrangement the decision is about; its own sources are
        listed first, and any other record's say whose they are (a record may cite any)."""
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources_to_cite(commissioner)
        self.fields["source"].label_from_instance = source_choice_label

    NEW_SOURCE_FIELDS = ("title", "publisher", "published", "url", "quote")

    def clean(self):
        cleaned = super().clean()
        typed = [name for name in self.NEW_SOURCE_FIELDS if self._typed(f"new_source_{name}")]
        if cleaned.get("source") and typed:
            self.add_error("source", "Choose an existing source or add a new one, not both.")
        elif not cleaned.get("source") and not typed and "source" not in self.errors:
            self.add_error("source", "Choose a source or add a new one.")
        elif typed and not cleaned.get("source"):
            self._check_new_source(cleaned)
        self._check_decision(cleaned)
        return cleaned

    def _check_decision(self, cleaned):
        """Check the decision's own rules (``Decision.clean``) on what was typed, so that "takes
        effect before the meeting" shows in the same round as a missing source or reason."""
        if not cleaned.get("outcome"):
            return
        decision = Decision(outcome=cleaned["outcome"])
        for name in ("meeting_date", "effective_date", "expected_date"):
            day, precision = entered(
                cleaned.get(name), cleaned.get(f"{name}_precision", Precision.DAY)
            )
            setattr(decision, name, day)
            setattr(decision, f"{name}_precision", precision)
        try:
            decision.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                # The CCG comes from the page, not the form; the service checks it.
                if name in self.fields and name not in self.errors:
                    for message in messages:
                        self.add_error(name, message)

    def _typed(self, name):
        """Whether the user typed anything into the field (a date has three boxes)."""
        names = [f"{name}_{part}" for part in PARTS] if name.endswith("_published") else [name]
        return any(self.data.get(each, "").strip() for each in names)

    def _check_new_source(self, cleaned):
        """Check the new source as the service will, so its errors show with the others."""
        for name, message in (
            ("title", "Give the source's title."),
            ("publisher", "Give the source's publisher."),
            ("quote", "Quote the passage that supports this decision."),
        ):
            if not cleaned.get(f"new_source_{name}") and f"new_source_{name}" not in self.errors:
                self.add_error(f"new_source_{name}", message)
        if "new_source_published" not in self.errors:
            problem = published_problem(
                *entered(
                    cleaned.get("new_source_published"),
                    cleaned.get("new_source_published_precision", Precision.DAY),
                )
            )
            if problem:
                self.add_error("new_source_published", problem)

    @property
    def new_source(self):
        """The new source's service arguments, or None when an existing one was chosen."""
        if self.cleaned_data.get("source"):
            return None
        published, published_precision = entered(
            self.cleaned_data["new_source_published"],
            self.cleaned_data["new_source_published_precision"],
        )
        return {
            "title": self.cleaned_data["new_source_title"],
            "publisher": self.cleaned_data["new_source_publisher"],
            "published": published,
            "published_precision": published_precision,
            "url": self.cleaned_data["new_source_url"],
            "quote": self.cleaned_data["new_source_quote"],
        }

    @staticmethod
    def initial_from(decision):
        """The form's boxes filled with ``decision`` as it stands, to be corrected."""
        initial = {
            name: getattr(decision, name)
            for name in ("body", "outcome", "summary", "data_entry_note", "review_by")
        }
        for name in ("meeting_date", "effective_date", "expected_date"):
            day, precision = getattr(decision, name), getattr(decision, f"{name}_precision")
            initial[name] = EnteredDate(day, precision) if day else None
            initial[f"{name}_precision"] = precision
        initial["source"] = next(iter(decision.sources.all()), None)
        return initial

    def decision_arguments(self):
        """The cleaned data as ``decision_record`` keyword arguments (less sources and user)."""
        data = self.cleaned_data
        arguments = {
            name: data[name] for name in ("body", "outcome", "summary", "data_entry_note", "reason")
        }
        for name in ("meeting_date", "effective_date", "expected_date"):
            arguments[name], arguments[f"{name}_precision"] = entered(
                data[name], data[f"{name}_precision"]
            )
        arguments["review_by"] = data["review_by"]
        arguments["expected_version"] = data["version"]
        return arguments


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Why is this decision being withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, it was entered against the wrong CCG. Kept in the audit "
        "history with your name.",
        error_messages={"required": "Give the reason for withdrawing this decision."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
