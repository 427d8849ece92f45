from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kmcommission.dates import Precision, format_fuzzy, precision_field, since_phrase


class LocalityGroup(models.Model):
    """A group of CCGs working together on local matters (003)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CCG(models.Model):
    """A clinical commissioning group: a statutory NHS body."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    ods_code = models.CharField("NHS ODS code", max_length=5, blank=True)
    ods_code_source = models.CharField(max_length=200, blank=True)
    locality_group = models.ForeignKey(
        LocalityGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="ccgs"
    )
    locality_note = models.CharField(
        max_length=200, blank=True, help_text="How firm the grouping is, in the source's words."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "CCG"
        verbose_name_plural = "CCGs"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ccgs:detail", args=[self.slug])


class Commissioner(models.Model):
    """The strategic commissioner: a joint committee of CCGs sharing one management team."""

    name = models.CharField(max_length=150, unique=True)
    form = models.CharField(max_length=100, default="Joint committee")
    shadow_from = models.DateField(null=True, blank=True)
    shadow_from_precision = precision_field()
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return self.name

    @property
    def shadow_from_display(self):
        return format_fuzzy(self.shadow_from, self.shadow_from_precision)


class MembershipStatus(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    PENDING = "pending", "Pending"
    OPTED_OUT = "opted_out", "Opted out"
    JOINED = "joined", "Joined"


class PendingReview:
    """The expected decision and review date of a membership, or of a row from its history."""

    @property
    def expected_decision_display(self):
        return format_fuzzy(self.expected_decision, self.expected_decision_precision)

    @property
    def review_by_display(self):
        """A review date copied from a vague expected date stays as vague as it."""
        if self.review_by is None:
            return ""
        if self.review_by == self.expected_decision and self.expected_decision_precision in (
            Precision.MONTH,
            Precision.BY_MONTH,
            Precision.YEAR,
        ):
            period = format_fuzzy(self.review_by, self.expected_decision_precision)
            return "the end of " + period.removeprefix("by ")
        return format_fuzzy(self.review_by)

    def overdue_on(self, day):
        """Pending, with its review date passed by ``day``."""
        return (
            self.status == MembershipStatus.PENDING
            and self.review_by is not None
            and self.review_by < day
        )


class MembershipQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # QuerySet.update() writes no history row; a status must never change unseen.
        raise TypeError(
            "Membership rows change only through decisions.services.decision_record, "
            "which keeps the audit history; QuerySet.update() would skip it."
        )

    def bulk_update(self, objs, fields, batch_size=None):
        raise TypeError("Membership rows change only through decisions.services.decision_record.")

    def with_ccg(self):
        return self.select_related("ccg__locality_group", "commissioner")

    def in_effect(self, on, known_at=None):
        """Each membership's history row in effect on ``on``, as the record stood at ``known_at``.

        Rows are ordered by the effective date, then by when they were recorded,
        so a change recorded late (Thanet's joining, published in April) still
        lands on the day it took effect.
        """
        return in_effect_rows(self, Membership.history.model, on, known_at)


def in_effect_rows(queryset, history_model, on, known_at=None, date_field="since"):
    """History rows of ``queryset`` in effect on ``on``, as recorded by ``known_at``.

    Returns a dict {object id: historical row}, one query for the ids and one
    for the rows, however long the history.
    """
    rows = history_model.objects.filter(id=models.OuterRef("pk"), **{f"{date_field}__lte": on})
    if known_at is not None:
        rows = rows.filter(history_date__lte=known_at)
    rows = rows.order_by(f"-{date_field}", "-history_date", "-history_id")
    row_ids = (
        queryset.annotate(row_id=models.Subquery(rows.values("history_id")[:1]))
        .exclude(row_id=None)
        .values_list("row_id", flat=True)
    )
    return {row.id: row for row in history_model.objects.filter(history_id__in=list(row_ids))}


class Membership(PendingReview, models.Model):
    """A CCG's membership of the commissioner. Its status changes only through
    ``decisions.services.decision_record``, which keeps the history row."""

    ccg = models.ForeignKey(CCG, on_delete=models.PROTECT, related_name="memberships")
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    since = models.DateField(null=True, blank=True)
    since_precision = precision_field()
    decision = models.ForeignKey(
        "decisions.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        "decisions.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The source for a status no decision is behind (the first, 'considering').",
    )
    expected_decision = models.DateField(null=True, blank=True)
    expected_decision_precision = precision_field()
    review_by = models.DateField(
        null=True, blank=True, help_text="When a pending membership should next be looked at."
    )
    # Bumped on every change, so a form opened before someone else's edit is refused.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ccg", "commissioner"], name="one_membership_per_ccg_per_commissioner"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MembershipStatus.values),
                name="membership_status_valid",
            ),
        ]
        ordering = ["ccg__name"]

    def __str__(self):
        return f"{self.ccg} in {self.commissioner}: {self.get_status_display()}"

    @property
    def since_display(self):
        return format_fuzzy(self.since, self.since_precision)

    @property
    def since_phrase(self):
        return since_phrase(self.since, self.since_precision)

    @property
    def overdue_for_review(self):
        return self.overdue_on(timezone.localdate())
