from django import forms
from django.db.models import Exists, OuterRef

from ccgs.models import LocalityGroup
from decisions.selectors import arrangement_ccgs
from records.models import EventKind
from records.points import DayField

from .selectors import Cursor

DATE_HELP = "For example, 2018-03-13"


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
    date_from = DayField(label="From", called="The 'from' date", help_text=DATE_HELP)
    date_to = DayField(label="To", called="The 'to' date", help_text=DATE_HELP)
    known_at = DayField(
        label="As recorded on",
        called="The 'as recorded on' date",
        help_text="What this record said at the end of that day, before any later corrections. "
        + DATE_HELP,
    )
    recorded_since = DayField(
        label="Recorded after",
        called="The 'recorded after' date",
        help_text="Only what the record learnt after the end of this day, for example "
        "since a committee meeting. " + DATE_HELP,
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

    def __init__(self, *args, commissioner=None, **kwargs):
        """``commissioner``: the arrangement whose timeline it filters; its CCGs (those with a
        membership of it) and their locality groups are the choices."""
        super().__init__(*args, **kwargs)
        ccgs = arrangement_ccgs(commissioner).order_by("name")
        localities = LocalityGroup.objects.all()
        if commissioner is not None:
            localities = localities.filter(Exists(ccgs.filter(locality_group=OuterRef("pk"))))
        self.ccgs = {ccg.slug: ccg for ccg in ccgs}
        self.localities = {group.slug: group for group in localities}
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

    def file_stem(self, today, arrangement=None):
        """A download's name saying what it holds: ``timeline-thanet-2018-03-13``, the
        arrangement when not the default, the filters, then the day the record is as of (the
        'as recorded on' date, else today)."""
        data = self.cleaned_data
        parts = ["timeline"]
        if arrangement is not None and not arrangement.is_default:
            parts.append(arrangement.arrangement.slug)
        for name in ("ccg", "locality"):
            if data.get(name):
                parts.append(data[name].slug)
        parts += [kind.replace("_", "-") for kind in data.get("kind") or ()]
        for name, words in (
            ("date_from", "from"),
            ("date_to", "to"),
            ("recorded_since", "recorded-after"),
        ):
            if data.get(name):
                parts.append(f"{words}-{data[name].isoformat()}")
        parts.append((data.get("known_at") or today).isoformat())
        return "-".join(parts)

    def query_without_cursor(self):
        """The filters as a query string, to which a page link adds its cursor."""
        params = self.data.copy()
        for name in ("after", "before", "format"):
            params.pop(name, None)
        return params.urlencode()


class ChartSpanForm(forms.Form):
    """The span of time the chart draws: empty boxes give the span of the record's events."""

    date_from = DayField(label="Show from", called="The 'show from' date", help_text=DATE_HELP)
    date_to = DayField(label="Show to", called="The 'show to' date", help_text=DATE_HELP)

    def __init__(self, data):
        super().__init__(data, auto_id="%s")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", "The 'show to' date must be on or after the 'show from' date."
            )
        return data


class CalendarWindowForm(forms.Form):
    """``?since=``: an earlier start for the calendar than its default year back."""

    since = DayField(label="Since", called="The 'since' date")
