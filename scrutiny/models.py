from django.db import models
from simple_history.models import HistoricalRecords

from kmcommission.dates import format_fuzzy, iso_fuzzy, precision_field


class ScrutinyMeeting(models.Model):
    committee = models.CharField(max_length=200)
    date = models.DateField()
    cancelled = models.BooleanField(default=False)
    item = models.CharField(max_length=300)
    outcome = models.TextField(blank=True)
    sources = models.ManyToManyField("decisions.Source", related_name="scrutiny_meetings")
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        state = "cancelled" if self.cancelled else "held"
        return f"{self.committee}, {self.date:%-d %B %Y} ({state})"


class EventKind(models.TextChoices):
    DECISION = "decision", "Decision"
    STATUS_CHANGE = "status_change", "Membership status change"
    ASSIGNMENT_START = "assignment_start", "Role starts"
    ASSIGNMENT_END = "assignment_end", "Role ends"
    SCRUTINY_MEETING = "scrutiny_meeting", "Scrutiny meeting"
    SOURCE_PUBLISHED = "source_published", "Source published"
    FUNCTION_MOVE = "function_move", "Function placed"


class TimelineEvent(models.Model):
    """One line of the timeline, written by the service that made the change.

    Kept as its own table, with the filters' columns copied in, so that every
    page of the timeline is one indexed range scan (keyset on date, id)
    whatever the size of the record.
    """

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = models.DateField(
        help_text="When it took effect; for an undated start, when a source first said so."
    )
    date_precision = precision_field()
    recorded_at = models.DateTimeField(help_text="When the record learnt of it.")
    ccg = models.ForeignKey(
        "ccgs.CCG", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    locality_group = models.ForeignKey(
        "ccgs.LocalityGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    person = models.ForeignKey(
        "roles.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    assignment = models.ForeignKey(
        "roles.Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    meeting = models.ForeignKey(
        ScrutinyMeeting, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    function = models.ForeignKey(
        "roles.CommissioningFunction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    sources = models.ManyToManyField("decisions.Source", related_name="events")

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["date", "id"]),
            models.Index(fields=["ccg", "date", "id"]),
            models.Index(fields=["locality_group", "date", "id"]),
            models.Index(fields=["kind", "date", "id"]),
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    @property
    def date_display(self):
        return format_fuzzy(self.date, self.date_precision)

    @property
    def date_iso(self):
        return iso_fuzzy(self.date, self.date_precision)
