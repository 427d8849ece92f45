from django.core.exceptions import ValidationError
from django.db import models

from ccgs.models import CCG, Commissioner, LocalityGroup
from records.dates import RecordDateField, format_fuzzy, precision_field, since_phrase
from records.history import GuardedQuerySet, audit_history
from records.models import Source


class Person(models.Model):
    name = models.CharField(max_length=150, unique=True)
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


class PostKind(models.TextChoices):
    SHARED_TEAM = "shared_team", "Shared management team"
    CCG_ACCOUNTABLE_OFFICER = "ccg_ao", "CCG accountable officer"
    STP = "stp", "STP role"


class Post(models.Model):
    """A post someone can hold: in the shared team, a CCG's accountable officer, or an STP role,
    in one arrangement's record (its assignments, and their people, are that arrangement's)."""

    commissioner = models.ForeignKey(
        Commissioner,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name="arrangement",
        help_text="The arrangement whose record the post is part of.",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PostKind.choices)
    ccg = models.ForeignKey(
        CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    locality_group = models.ForeignKey(
        LocalityGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    seats = models.PositiveSmallIntegerField(
        default=1, help_text="How many people may hold the post at once."
    )
    proposed = models.BooleanField(
        default=False, help_text="Part of the proposed interim structure (001)."
    )
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="posts")
    order = models.PositiveSmallIntegerField(default=0)
    history = audit_history(cites_sources=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["kind", "order", "title"]
        constraints = [
            # Each arrangement has its own posts: every one has "Accountable officer, Thanet CCG".
            models.UniqueConstraint(
                fields=["commissioner", "title"],
                name="post_title_unique_in_arrangement",
                violation_error_message="The arrangement already has a post with this title.",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="post_has_a_seat"),
        ]

    def __str__(self):
        return self.title

    @property
    def tier(self):
        """Where the post sits in the org chart: the top, a locality group's lead, or a director.

        Read from the post's kind, group and title rather than stored, so that
        posts an admin adds land somewhere sensible without another field to fill.
        """
        if self.kind != PostKind.SHARED_TEAM:
            return "other"
        if self.title.lower().startswith("accountable officer"):
            return "top"
        if self.locality_group_id and self.title.lower().startswith("managing director"):
            return "managing_director"
        return "director"


def held_on(day, prefix=""):
    """The filter for assignments held on ``day`` (``prefix`` e.g. "assignments__").

    Started by then (an unknown start counts) and not ended: an end date is the
    day the person stopped, so on that day the post is no longer theirs (Hazel
    Smith left Thanet "with effect from 28 February"). Works on history rows too.
    """
    return (
        models.Q(**{f"{prefix}start__isnull": True}) | models.Q(**{f"{prefix}start__lte": day})
    ) & (models.Q(**{f"{prefix}end__isnull": True}) | models.Q(**{f"{prefix}end__gt": day}))


class TermDates:
    """How a term in post reads, for an Assignment or any row with its dates."""

    @property
    def start_display(self):
        return format_fuzzy(self.start, self.start_precision) if self.start else "start not stated"

    @property
    def end_display(self):
        return format_fuzzy(self.end, self.end_precision) if self.end else ""

    def held_on(self, day):
        """The same test as ``AssignmentQuerySet.current_on``, for rows already in memory."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end > day)


class AssignmentQuerySet(GuardedQuerySet):
    def current_on(self, day):
        """Assignments held on ``day`` (see ``held_on``)."""
        return self.filter(held_on(day))


class Assignment(TermDates, models.Model):
    """A person holding a post from a start to an end. Written through ``roles.services``."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments")
    start = RecordDateField(null=True, blank=True, help_text="Empty where no source says.")
    start_precision = precision_field()
    end = RecordDateField(null=True, blank=True)
    end_precision = precision_field()
    transitional = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="assignments")
    history = audit_history(cites_sources=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["post", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="assignment_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["post", "start", "end"])]

    def __str__(self):
        return f"{self.person} as {self.post}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The end date cannot be before the start date."})


class Level(models.TextChoices):
    KENT_AND_MEDWAY = "kent_and_medway", "Kent and Medway wide"
    LOCALITY_GROUP = "locality_group", "Locality group"
    CCG = "ccg", "Individual CCG"


class Placed:
    """How a function's placement reads, for the model or a row from its history."""

    @property
    def since_display(self):
        return format_fuzzy(self.since, self.since_precision)

    @property
    def since_phrase(self):
        return since_phrase(self.since, self.since_precision)

    @property
    def level_label(self):
        return Level(self.level).label


class CommissioningFunction(Placed, models.Model):
    """A commissioning responsibility and the level it sits at. The level changes only
    through ``roles.services.function_move``, which keeps the history row. Each arrangement
    places its own functions."""

    commissioner = models.ForeignKey(
        Commissioner,
        on_delete=models.PROTECT,
        related_name="functions",
        verbose_name="arrangement",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    since = RecordDateField(null=True, blank=True)
    since_precision = precision_field()
    placed_by = models.CharField(
        max_length=300, help_text="The decision or design workshop that placed it here."
    )
    sources = models.ManyToManyField(Source, related_name="functions")
    version = models.PositiveIntegerField(default=1)
    history = audit_history(cites_sources=True)

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "name"],
                name="function_name_unique_in_arrangement",
                violation_error_message="The arrangement already has a function with this name.",
            ),
        ]

    def __str__(self):
        return self.name
