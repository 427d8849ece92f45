from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ccgs.models import CCG
from records.dates import (
    Precision,
    RecordDateField,
    earliest,
    format_fuzzy,
    iso_fuzzy,
    precision_field,
    since_phrase,
)
from records.history import GuardedQuerySet, audit_history
from records.models import Source
from records.points import recorded_by


class MembershipStatus(models.TextChoices):
    CONSIDERING = "considering", "Considering"
    PENDING = "pending", "Pending"
    OPTED_OUT = "opted_out", "Opted out"
    JOINED = "joined", "Joined"


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
    CONSIDERING = "considering", "Considering joining"


# How each body reads inside a sentence: "agreed to join (GP membership)", not "(gp membership)".
BODY_IN_TEXT = {
    Body.GOVERNING_BODY: "governing body",
    Body.GP_MEMBERSHIP: "GP membership",
    Body.JOINT_COMMITTEE: "joint committee",
    Body.NOT_STATED: "deciding body not stated",
}

# The one place that says what a decision does to a membership status.
OUTCOME_STATUS = {
    Outcome.AGREED: MembershipStatus.JOINED,
    Outcome.DECLINED: MembershipStatus.OPTED_OUT,
    Outcome.DEFERRED: MembershipStatus.PENDING,
    Outcome.NOTED: None,
    Outcome.CONSIDERING: MembershipStatus.CONSIDERING,
}

# Precisions that give only a latest day: "by 27 April", "by January 2018".
UPPER_BOUNDS = (Precision.ON_OR_BEFORE, Precision.BY_MONTH)


class DecisionQuerySet(GuardedQuerySet):
    def current(self, known_at=None):
        """Decisions the record held (at the end of ``known_at``; default now), less those
        corrected or withdrawn by then."""
        corrections = Decision.objects.filter(corrects=models.OuterRef("pk"))
        withdrawals = Withdrawal.objects.filter(decision=models.OuterRef("pk"))
        if known_at is not None:
            moment = recorded_by(known_at)
            corrections = corrections.filter(recorded_at__lte=moment)
            withdrawals = withdrawals.filter(recorded_at__lte=moment)
            decisions = self.filter(recorded_at__lte=moment)
        else:
            decisions = self.all()
        return decisions.exclude(models.Exists(corrections)).exclude(models.Exists(withdrawals))


class OrderedInALog:
    """What the derivation reads of a decision beyond its fields: a ``Decision``, or the
    narrow ``decisions.derivation.LoggedDecision`` a page's logs hold."""

    __slots__ = ()

    @property
    def new_status(self):
        return OUTCOME_STATUS[self.outcome]

    @property
    def known_only_by(self):
        """Whether the source gives only a latest day for it ("by 27 April")."""
        return self.in_effect_from_precision in UPPER_BOUNDS


class Decision(OrderedInALog, models.Model):
    """A decision by a CCG body (or the joint committee) on joining the commissioner."""

    ccg = models.ForeignKey(
        CCG, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    commissioner = models.ForeignKey(
        "ccgs.Commissioner", on_delete=models.PROTECT, related_name="decisions"
    )
    body = models.CharField("deciding body", max_length=20, choices=Body.choices)
    meeting_date = RecordDateField(null=True, blank=True)
    meeting_date_precision = precision_field()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    effective_date = RecordDateField(null=True, blank=True)
    effective_date_precision = precision_field()
    expected_date = RecordDateField(
        "decision expected", null=True, blank=True, help_text="For a decision not yet taken."
    )
    expected_date_precision = precision_field()
    summary = models.TextField()
    data_entry_note = models.TextField(
        blank=True, help_text="What the person entering this had to decide, and why."
    )
    sources = models.ManyToManyField(Source, related_name="decisions")
    review_by = RecordDateField(
        null=True, blank=True, help_text="When a pending membership should next be looked at."
    )
    # When the status it brings holds from: the date it takes effect, else its meeting, else
    # "by" the date of its evidence. Worked out once, when it is recorded (services).
    in_effect_from = RecordDateField()
    in_effect_from_precision = precision_field()
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        help_text="The decision this one corrects; the original is kept as it was.",
    )
    reason = models.TextField(blank=True, help_text="Why it was recorded (or corrected).")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = audit_history(cites_sources=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["in_effect_from", "recorded_at"]
        indexes = [models.Index(fields=["ccg", "recorded_at"])]

    def __str__(self):
        who = self.ccg or self.commissioner
        return f"{who}: {self.get_outcome_display()} ({self.meeting_date_display})"

    def get_absolute_url(self):
        return reverse("scrutiny:ccg", args=[self.ccg.slug]) if self.ccg else reverse("dashboard")

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
    def body_in_text(self):
        return BODY_IN_TEXT.get(self.body, self.get_body_display())

    @property
    def in_effect_from_display(self):
        return format_fuzzy(self.in_effect_from, self.in_effect_from_precision)

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


class Withdrawal(models.Model):
    """A decision entered in error, withdrawn with a reason; the decision itself is kept."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="withdrawal")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"

    def __str__(self):
        return f"Withdrawn: {self.decision}"


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


class MembershipQuerySet(GuardedQuerySet):
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


class Membership(PendingReview, models.Model):
    """A CCG's membership of the commissioner, as the record now holds it: a cache of what
    ``decisions.selectors`` derives from the decision log, rewritten by the services in the
    same transaction as each decision (with a history row), and versioned so that a form
    opened before someone else's change is refused."""

    ccg = models.ForeignKey("ccgs.CCG", on_delete=models.PROTECT, related_name="memberships")
    commissioner = models.ForeignKey(
        "ccgs.Commissioner", on_delete=models.PROTECT, related_name="memberships"
    )
    # Empty for a CCG with no decision in the record yet (one added in the admin).
    status = models.CharField(max_length=20, choices=MembershipStatus.choices, blank=True)
    since = RecordDateField(null=True, blank=True)
    since_precision = precision_field()
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expected_decision = RecordDateField(null=True, blank=True)
    expected_decision_precision = precision_field()
    review_by = RecordDateField(
        null=True, blank=True, help_text="When a pending membership should next be looked at."
    )
    # Bumped on every change, so a form opened before someone else's edit is refused.
    version = models.PositiveIntegerField(default=1)
    history = audit_history()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(
                fields=["ccg", "commissioner"], name="one_membership_per_ccg_per_commissioner"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[*MembershipStatus.values, ""]),
                name="membership_status_valid",
            ),
        ]
        ordering = ["ccg__name"]

    def __str__(self):
        return f"{self.ccg} in {self.commissioner}: {self.status_label}"

    @property
    def status_label(self):
        return self.get_status_display() if self.status else "No record yet"

    @property
    def since_display(self):
        return format_fuzzy(self.since, self.since_precision)

    @property
    def since_phrase(self):
        return since_phrase(self.since, self.since_precision)

    @property
    def overdue(self):
        """Pending with its review date passed, today."""
        return self.overdue_on(timezone.localdate())
