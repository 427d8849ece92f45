from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from records.dates import RecordDateField
from records.history import GuardedQuerySet, audit_history
from records.models import Source


class ScrutinyMeeting(models.Model):
    """A meeting of a council scrutiny committee (the HOSC) that took an arrangement's record
    as an item."""

    commissioner = models.ForeignKey(
        "ccgs.Commissioner",
        on_delete=models.PROTECT,
        related_name="scrutiny_meetings",
        verbose_name="arrangement",
        help_text="The arrangement the meeting scrutinised.",
    )
    committee = models.CharField(max_length=200)
    date = RecordDateField()
    # Most sources give only the day; a calendar shows a time and a place only where one does.
    starts_at = models.TimeField(
        "start time", null=True, blank=True, help_text="For example, 10:00."
    )
    ends_at = models.TimeField("end time", null=True, blank=True)
    location = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it meets, for example Sessions House, Maidstone.",
    )
    cancelled = models.BooleanField(default=False)
    item = models.CharField(max_length=300)
    outcome = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="scrutiny_meetings")
    history = audit_history(cites_sources=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["date"]

    def __str__(self):
        state = "cancelled" if self.cancelled else "held"
        return f"{self.committee}, {self.date:%-d %B %Y} ({state})"

    def clean(self):
        if self.ends_at and not self.starts_at:
            raise ValidationError({"starts_at": "Give the start time as well as the end time."})
        if self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end time must be after the start time."})


class SubscriptionSecret(models.Model):
    """A user's secret behind their subscription addresses; a new one stops the old addresses."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription_secret"
    )
    secret = models.CharField(max_length=64)

    def __str__(self):
        return f"Subscription secret of {self.user}"
