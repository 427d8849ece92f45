"""What every form here shares: the NHS.UK date with its precision, service errors on fields,
and the source form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting

from .dates import Precision
from .models import published_problem
from .widgets import DateInputField

DATE_HINT = "For example, 19 3 2018. Leave the day empty if the source gives only a month."
PRECISION_HELP = "How exactly the source states this date."


def nhsuk(field, **options):
    """``field``, with how its NHS.UK field group looks (templates/forms/field.html).

    width ("10", "20", "30", "full"), label_class, legend ("s", "m"), autocomplete,
    spellcheck, and for a date the name of its precision field (precision).
    """
    field.nhsuk = options
    return field


def date_field(label, hint=DATE_HINT, required=False, precision=None):
    """A date as precise as its source: the boxes, and (``precision``) its precision select."""
    return nhsuk(
        DateInputField(label=label, required=required, help_text=hint, allow_partial=True),
        legend="s",
        precision=precision,
    )


# How much of a date each precision claims to know; a select may make a date
# vaguer than the boxes typed, never more precise.
_VAGUENESS = {
    Precision.DAY: 0,
    Precision.ON_OR_BEFORE: 0,
    Precision.MONTH: 1,
    Precision.BY_MONTH: 1,
    Precision.YEAR: 2,
}


def entered(value, precision):
    """(day to store, precision) from a date input and its precision select.

    Boxes left empty say how vague the date is (a month and year alone is
    "Month only"); the select can say more ("on or before", "by the end of"),
    but never invents a day or month that was not typed.
    """
    if value is None:
        return None, precision
    typed = value.precision
    if precision == Precision.DAY or _VAGUENESS[precision] >= _VAGUENESS[typed]:
        return value.date, typed if precision == Precision.DAY else precision
    if typed == Precision.YEAR:
        return value.date, Precision.YEAR
    return value.date, Precision.BY_MONTH


def precision_choice(label):
    return forms.ChoiceField(
        label=label, choices=Precision.choices, initial=Precision.DAY, help_text=PRECISION_HELP
    )


class ServiceErrorsMixin:
    """Put a service's ``ValidationError`` dict on the form's fields."""

    # Service field name -> form field name, where they differ.
    service_field_map = {}

    def add_service_errors(self, error):
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, field_messages in messages.items():
            field = self.service_field_map.get(name, name)
            if field not in self.fields:
                field = None
            for message in field_messages:
                self.add_error(field, message)


def web_address_field():
    return nhsuk(
        forms.URLField(
            label="Web address (optional)",
            required=False,
            max_length=500,
            assume_scheme="https",
            error_messages={"invalid": "Enter a web address starting https://"},
        ),
        width="full",
        spellcheck="false",
    )


class SourceForm(ServiceErrorsMixin, forms.Form):
    title = nhsuk(
        forms.CharField(
            label="Title", max_length=300, error_messages={"required": "Give the source's title."}
        ),
        width="full",
    )
    publisher = nhsuk(
        forms.CharField(
            label="Publisher",
            max_length=200,
            help_text="For example, Kent and Medway STP, or a CCG governing body.",
            error_messages={"required": "Give the source's publisher."},
        ),
        width="30",
    )
    published = date_field("Date published", precision="published_precision")
    published_precision = precision_choice("How exact is the date published?")
    published_note = nhsuk(
        forms.CharField(label="Why the date is vague (optional)", required=False, max_length=400),
        width="full",
    )
    url = web_address_field()
    quote = forms.CharField(
        label="Quoted passage",
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A short passage that the record will cite, not the whole document.",
        error_messages={"required": "Quote the passage the record will cite."},
    )

    def clean(self):
        cleaned = super().clean()
        if "published" not in self.errors:
            published, precision = entered(
                cleaned.get("published"), cleaned.get("published_precision", Precision.DAY)
            )
            problem = published_problem(published, precision)
            if problem:
                self.add_error("published", problem)
        return cleaned

    def source_arguments(self):
        arguments = dict(self.cleaned_data)
        arguments["published"], arguments["published_precision"] = entered(
            arguments["published"], arguments["published_precision"]
        )
        return arguments


class NHSFormRenderer(TemplatesSetting):
    """Every field renders as an NHS.UK field group: ``{{ form.name.as_field_group }}``."""

    field_template_name = "forms/field.html"


class SignInForm(AuthenticationForm):
    """Django's sign-in, in the NHS.UK wording ("Enter your username")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.error_messages["required"] = "Enter your username"
        password.error_messages["required"] = "Enter your password"
        nhsuk(username, width="20", autocomplete="username", spellcheck="false")
        nhsuk(password, width="20", autocomplete="current-password")
