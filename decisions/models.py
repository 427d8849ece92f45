from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccgs.models import MembershipStatus
from kmcommission.dates import earliest, format_fuzzy, iso_fuzzy, precision_field


class Source(models.Model):
    """A document that facts in the record cite. Quote a short passage, not the article."""

    key = models.SlugField(
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable reference for demo data, e.g. the seed file number.",
    )
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published = models.DateField(null=True, blank=True)
    published_precision = precision_field()
    published_note = models.CharField(
        max_length=200, blank=True, help_text="Why the date is vague, where it is."
    )
    url = models.URLField(blank=True, max_length=500)
    quote = models.TextField("quoted passage", max_length=1500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["published", "title"]

    def __str__(self):
        return f"{self.title} ({self.published_display})"

    @property
    def published_display(self):
        return format_fuzzy(self.published, self.published_precision)

    def as_citation(self):
        return {
            "title": self.title,
            "publisher": self.publisher,
            "published": iso_fuzzy(self.published, self.published_precision),
            "url": self.url or None,
        }


class Body(models.TextChoices):
    GOVERNING_BODY = "governing_body", "Governing body"
    GP_MEMBERSHIP = "gp_membership", "GP membership"
    JOINT_COMMITTEE = "joint_committee", "Joint committee"
    NOT_STATED = "not_stated", "Not stated in the source"


class Outcome(models.TextChoices):
    AGREED = "agreed", "Agreed to join"
    DECLINED = "declined", "Decided not to join"
    DEFERRED = "deferred", "Asked for more information; decision deferred"
    NOTED = "noted", "Noted; no change to membership"


# The one place that says what a decision does to a membership status.
OUTCOME_STATUS = {
    Outcome.AGREED: MembershipStatus.JOINED,
    Outcome.DECLINED: MembershipStatus.OPTED_OUT,
    Outcome.DEFERRED: MembershipStatus.PENDING,
    Outcome.NOTED: None,
}


class Decision(models.Model):
    """A decision by a CCG body (or the joint committee) on joining the commissioner."""

    ccg = models.ForeignKey(
        "ccgs.CCG", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    commissioner = models.ForeignKey(
        "ccgs.Commissioner", on_delete=models.PROTECT, related_name="decisions"
    )
    body = models.CharField("deciding body", max_length=20, choices=Body.choices)
    meeting_date = models.DateField(null=True, blank=True)
    meeting_date_precision = precision_field()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    effective_date = models.DateField(null=True, blank=True)
    effective_date_precision = precision_field()
    expected_date = models.DateField(
        "decision expected", null=True, blank=True, help_text="For a decision not yet taken."
    )
    expected_date_precision = precision_field()
    summary = models.TextField()
    data_entry_note = models.TextField(
        blank=True, help_text="What the person entering this had to decide, and why."
    )
    sources = models.ManyToManyField(Source, related_name="decisions")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_date", "recorded_at"]
        indexes = [models.Index(fields=["ccg", "effective_date"])]

    def __str__(self):
        who = self.ccg or self.commissioner
        return f"{who}: {self.get_outcome_display()} ({self.meeting_date_display})"

    def get_absolute_url(self):
        return reverse("ccgs:detail", args=[self.ccg.slug]) if self.ccg else reverse("dashboard")

    def clean(self):
        errors = {}
        taken = self.outcome != Outcome.DEFERRED
        meeting_earliest = earliest(self.meeting_date, self.meeting_date_precision)
        if meeting_earliest and self.effective_date and self.effective_date < meeting_earliest:
            errors["effective_date"] = "The date it takes effect cannot be before the meeting date."
        if taken and meeting_earliest and meeting_earliest > timezone.localdate():
            errors["meeting_date"] = (
                "A decision already taken cannot have a meeting date in the future. "
                "For a decision still to come, choose 'decision deferred' "
                "and give the expected date."
            )
        if self.outcome in (Outcome.AGREED, Outcome.DECLINED) and not self.effective_date:
            errors["effective_date"] = "Give the date the decision takes effect."
        if taken and self.expected_date:
            errors["expected_date"] = (
                "Only a decision not yet taken has an expected date; leave it empty."
            )
        if self.ccg_id is None and self.outcome != Outcome.NOTED:
            errors["ccg"] = "A decision that changes membership must name the CCG."
        if errors:
            raise ValidationError(errors)

    @property
    def new_status(self):
        return OUTCOME_STATUS[self.outcome]

    @property
    def meeting_date_display(self):
        return format_fuzzy(self.meeting_date, self.meeting_date_precision)

    @property
    def effective_date_display(self):
        return format_fuzzy(self.effective_date, self.effective_date_precision)

    @property
    def expected_date_display(self):
        return format_fuzzy(self.expected_date, self.expected_date_precision)

    def as_json(self):
        return {
            "id": self.pk,
            "body": self.body,
            "outcome": self.outcome,
            "meeting_date": iso_fuzzy(self.meeting_date, self.meeting_date_precision),
            "effective_date": iso_fuzzy(self.effective_date, self.effective_date_precision),
            "expected_date": iso_fuzzy(self.expected_date, self.expected_date_precision),
            "summary": self.summary,
        }
