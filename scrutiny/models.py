from django.db import models
from simple_history.models import HistoricalRecords

from records.dates import RecordDateField
from records.models import Source


class ScrutinyMeeting(models.Model):
    """A meeting of a council scrutiny committee (the HOSC) that took the record as an item."""

    committee = models.CharField(max_length=200)
    date = RecordDateField()
    cancelled = models.BooleanField(default=False)
    item = models.CharField(max_length=300)
    outcome = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="scrutiny_meetings")
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        state = "cancelled" if self.cancelled else "held"
        return f"{self.committee}, {self.date:%-d %B %Y} ({state})"
