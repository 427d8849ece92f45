"""What every app shares: the sources facts cite and the timeline of events."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history import register

from .dates import RecordDateField, format_fuzzy, iso_fuzzy, precision_field, sort_day
from .history import GuardedQuerySet, audit_history

NO_PUBLISHED_DATE = (
    "Enter the date the source was published. If it states none, enter the last day it could "
    "have been (the day you found it, at the latest) and choose ‘On or before the day given’."
)


def published_problem(published, precision):
    """Why a source's publication date is refused, or None: the record places every source on
    its timeline and in the pickers by that date, so it must be given and not still to come."""
    if published is None:
        return NO_PUBLISHED_DATE
    today = timezone.localdate()
    if sort_day(published, precision) > today:
        return (
            f"The date published cannot be after today ({today:%-d %B %Y}). "
            "Check the year: a source is added once it has been published."
        )
    return None


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
    published = RecordDateField(null=True, blank=True)
    published_precision = precision_field()
    published_note = models.CharField(
        max_length=400,
        blank=True,
        help_text="Why the date is vague, or how the record dated an undated document.",
    )
    url = models.URLField(blank=True, max_length=500)
    url_description = models.CharField(
        "what the address leads to",
        max_length=300,
        blank=True,
        help_text="Where the address is not the document itself, e.g. a background document.",
    )
    title_supplied = models.BooleanField(
        "title supplied by the record",
        default=False,
        help_text="The document has no title of its own; the record gave it this one.",
    )
    note = models.TextField(
        "the record's note",
        blank=True,
        help_text="The record's own note on the document, e.g. what it refers to but lacks.",
    )
    quote = models.TextField("quoted passage", max_length=1500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
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
            "url_description": self.url_description or None,
            "title_supplied_by_the_record": self.title_supplied,
        }


class EventKind(models.TextChoices):
    DECISION = "decision", "Decision"
    STATUS_CHANGE = "status_change", "Membership status change"
    ASSIGNMENT_START = "assignment_start", "Role starts"
    ASSIGNMENT_END = "assignment_end", "Role ends"
    SCRUTINY_MEETING = "scrutiny_meeting", "Scrutiny meeting"
    SOURCE_PUBLISHED = "source_published", "Source published"
    FUNCTION_MOVE = "function_move", "Function placed"
    CORRECTION = "correction", "Decision corrected"
    WITHDRAWAL = "withdrawal", "Decision withdrawn"
    ANNOUNCED = "announced", "Announced in a source"


class TimelineEventQuerySet(models.QuerySet):
    """The timeline is append-only, like the audit history: a change is a new event
    (a correction, a withdrawal), never an edit. PostgreSQL refuses it too (pgtrigger)."""

    def update(self, **kwargs):
        raise TypeError("The timeline is append-only: its events are never updated.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError("The timeline is append-only: its events are never updated.")

    def delete(self):
        raise TypeError("The timeline is append-only: its events are never deleted.")

    def about(self, subject):
        """The events whose subject is ``subject`` (a decision, an assignment, a meeting...)."""
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )


class TimelineEvent(models.Model):
    """One line of the timeline, written by the service that made the change.

    Kept as its own table, with the filters' columns copied in, so that every
    page of the timeline is one indexed range scan (keyset on sort_date, id)
    whatever the size of the record.

    The arrangement, the CCG and the locality group are the timeline's filters, so
    they are real keys with their own indexes; they point one layer up (to ``ccgs``)
    by string, so this module imports nothing of it. What the event is about (a
    decision, an assignment, a meeting, a function's placement) is a generic
    ``subject``: the apps that own those models sit above this one, and the
    timeline must not depend on them.
    """

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    date = RecordDateField(
        help_text="When it took effect; for an undated start, when a source first said so."
    )
    date_precision = precision_field()
    # The order of the timeline: the first day the date could mean, then the order of recording.
    sort_date = RecordDateField()
    recorded_at = models.DateTimeField(help_text="When the record learnt of it.")
    # The arrangement whose record the event is part of: each page shows one arrangement's.
    commissioner = models.ForeignKey(
        "ccgs.Commissioner", on_delete=models.PROTECT, related_name="events"
    )
    ccg = models.ForeignKey(
        "ccgs.CCG", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    locality_group = models.ForeignKey(
        "ccgs.LocalityGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    person_name = models.CharField(
        max_length=150, blank=True, help_text="The person the event names, as the title does."
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    sources = models.ManyToManyField(Source, related_name="events")

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["sort_date", "id"]
        indexes = [
            models.Index(fields=["sort_date", "id"]),
            models.Index(fields=["commissioner", "sort_date", "id"]),
            # The feed: an arrangement's latest changes, newest first by when recorded.
            models.Index(fields=["commissioner", "recorded_at"]),
            models.Index(fields=["ccg", "sort_date", "id"]),
            models.Index(fields=["locality_group", "sort_date", "id"]),
            models.Index(fields=["kind", "sort_date", "id"]),
            # The briefing's "changes since": decisions or changes of post in a period.
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["recorded_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The timeline is append-only: its events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The timeline is append-only: its events are never deleted.")

    @property
    def date_display(self):
        return format_fuzzy(self.date, self.date_precision)

    @property
    def date_iso(self):
        return iso_fuzzy(self.date, self.date_precision)


class ClaimKind(models.TextChoices):
    STATEMENT = "statement", "Statement"
    ROLE = "role", "Role a source gives"
    ANNOUNCED = "announced", "Announced event"
    WOULD = "would", "What the strategic commissioner would do"
    WOULD_NOT = "would_not", "What the strategic commissioner would not do"


class Claim(models.Model):
    """What one source says, in its own words: a statement and who made it, the role it gives a
    person, an event it announces, or what the strategic commissioner would or would not do.

    The arrangement whose record holds it and the CCG it concerns are real keys (one layer
    up, by string, as on the timeline); a person is named as the source names them, so that
    this module imports nothing above it.
    """

    commissioner = models.ForeignKey(
        "ccgs.Commissioner", on_delete=models.PROTECT, related_name="claims"
    )
    kind = models.CharField(max_length=20, choices=ClaimKind.choices)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField(
        "the source's words", max_length=1500, help_text='Verbatim; mark every cut with "[…]".'
    )
    said_by = models.CharField(
        max_length=200, blank=True, help_text="Who said it, as the source attributes it."
    )
    headline = models.CharField(
        max_length=200, blank=True, help_text="The record's short name for an announced event."
    )
    date = RecordDateField(null=True, blank=True, help_text="When it happens or holds.")
    date_precision = precision_field()
    ccg = models.ForeignKey(
        "ccgs.CCG", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    person_name = models.CharField(max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.headline or self.quote[:60]}"

    @property
    def date_display(self):
        return format_fuzzy(self.date, self.date_precision)

    @property
    def sources_list(self):
        """The one source, as the citation includes take sources."""
        return [self.source]


class Conflict(models.Model):
    """Where sources disagree: every claim is shown with its source, and nothing is overridden."""

    commissioner = models.ForeignKey(
        "ccgs.Commissioner", on_delete=models.PROTECT, related_name="conflicts"
    )
    summary = models.TextField(help_text="What the sources disagree on, in the record's words.")
    ccg = models.ForeignKey(
        "ccgs.CCG", null=True, blank=True, on_delete=models.PROTECT, related_name="conflicts"
    )
    person_name = models.CharField(max_length=150, blank=True)
    claims = models.ManyToManyField(Claim, related_name="conflicts")
    recorded_at = models.DateTimeField(help_text="When the record learnt of the disagreement.")
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["id"]

    def __str__(self):
        return self.summary[:80]


# Who may do what is part of the audit trail too: changes to accounts and groups are
# kept with who made them (their tables belong to django.contrib.auth, their history here).
register(User, app=__package__, table_name="records_historicaluser")
register(Group, app=__package__, table_name="records_historicalgroup")
