"""The point in time every page and the API answer for: in effect on a day, as recorded on a day.

``as_at`` and ``known_at`` are both days (``datetime.date``). "As recorded on
1 March" means what the record said at the end of 1 March, London time:
``recorded_by`` turns the day into that moment, in this one place.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .dates import EARLIEST, LATEST, no_such_day


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in local time: 'as recorded on 1 March' includes 1 March."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight) - datetime.timedelta(microseconds=1)


def recorded_by(known_at: datetime.date | None) -> datetime.datetime | None:
    """The moment 'as recorded on ``known_at``' reads the history up to; None: up to now."""
    return end_of_day(known_at) if known_at is not None else None


class DayField(forms.DateField):
    """A YYYY-MM-DD box of a GET form (a point in time, a filter), from 1900 to 2100.

    A text box, not type="date": it must show back what was typed, and its hint
    must be the format it takes, whatever the browser's locale. ``called`` names
    the box in messages, as its label reads ("The 'from' date must be ...").
    """

    def __init__(self, *, label, called, help_text="", **kwargs):
        super().__init__(
            label=label,
            required=False,
            help_text=help_text,
            input_formats=["%Y-%m-%d"],
            error_messages={
                "invalid": f"{called} must be a date written YYYY-MM-DD, for example 2018-03-13."
            },
            **kwargs,
        )
        self.called = called
        self.nhsuk = {"width": "10", "spellcheck": "false", "autocomplete": "off"}

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            # Written as asked (2018-02-31) but no such day: say so, not "write it YYYY-MM-DD".
            match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", str(value))
            if match is None:
                raise
            problem = no_such_day(*(int(part) for part in match.groups()))
            if problem is None:
                raise
            raise ValidationError(
                f"{self.called} must be a real day: {problem}.", code="no_such_day"
            ) from None

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise ValidationError(f"{self.called} must be between 1900 and 2100.", code="range")


IN_EFFECT = "The \u2018in effect on\u2019 date"
AS_RECORDED = "The \u2018as recorded on\u2019 date"


class PointInTimeForm(forms.Form):
    """The point in time a page or the API answers for, read from ?as_at= and ?known_at=.

    One clean and one error summary for every page. ``as_at`` is in effect on
    (default today); ``known_at`` is as recorded on (default: now). A page may
    name its boxes in its own words (``labels``), and a briefing also reads
    ``since`` (``with_since``).
    """

    as_at = DayField(
        label="In effect on",
        called=IN_EFFECT,
        help_text="For example, 2018-03-13",
    )
    known_at = DayField(
        label="As recorded on",
        called=AS_RECORDED,
        help_text="What this record said at the end of that day, before any later "
        "corrections. Leave empty for what it says now. For example, 2018-03-01.",
    )
    since = DayField(
        label="Previous briefing",
        called="The previous briefing date",
        help_text="Empty: the last committee meeting",
    )

    def __init__(self, data, *, labels=None, with_known_at=True, with_since=False):
        # The box shows the day the page answers for, today when none was asked for.
        data = data.copy()
        if not data.get("as_at"):
            data["as_at"] = timezone.localdate().isoformat()
        # Ids without the "id_" prefix: the boxes have been linked to as #as_at since the start.
        super().__init__(data, auto_id="%s")
        for name, (label, called, help_text) in (labels or {}).items():
            field = self.fields[name]
            field.label, field.called, field.help_text = label, called, help_text
            field.error_messages = {
                "invalid": f"{called} must be a date written YYYY-MM-DD, for example 2018-03-13."
            }
        if not with_known_at:
            del self.fields["known_at"]
        if not with_since:
            del self.fields["since"]

    def clean(self):
        data = super().clean()
        on, since = data.get("as_at"), data.get("since")
        if since and on and since > on:
            self.add_error(
                "since", "The previous briefing date must be on or before the briefing date."
            )
        return data

    def day(self, name):
        """The day asked for, or its default (today for ``as_at``), also when refused."""
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        if value is None and name == "as_at":
            return timezone.localdate()
        return value

    @property
    def as_at_day(self):
        return self.day("as_at")

    @property
    def known_at_day(self):
        return self.day("known_at")

    def messages(self):
        """Every refusal, in the boxes' order, for an answer that is not a page (the API)."""
        return [message for field in self.errors.values() for message in field]
