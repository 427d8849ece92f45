from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from records.dates import RecordDateField, format_fuzzy, precision_field
from records.history import GuardedQuerySet, audit_history


class LocalityGroup(models.Model):
    """A group of CCGs working together on local matters (003)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
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
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["name"]
        verbose_name = "CCG"
        verbose_name_plural = "CCGs"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("scrutiny:ccg", args=[self.slug])


class Commissioner(models.Model):
    """An arrangement CCGs decide whether to join: the 2018 strategic commissioner (a joint
    committee sharing one management team), a merger into one CCG, ... The record may hold
    several; each CCG has one membership of each (``decisions.Membership``)."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        help_text="How addresses name it (?arrangement=...); made from the name when left empty.",
    )
    form = models.CharField(max_length=100, default="Joint committee")
    shadow_from = RecordDateField(null=True, blank=True)
    shadow_from_precision = precision_field()
    description = models.TextField(blank=True)
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Code that names an arrangement only by its name (an importer, a factory) still works.
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)

    def clean(self):
        # An empty slug would make ?arrangement= mean the default: this one unreachable.
        if not self.slug and not slugify(self.name):
            raise ValidationError(
                {"name": "Give the name some letters a-z or digits, or give the slug yourself."}
            )

    @property
    def shadow_from_display(self):
        return format_fuzzy(self.shadow_from, self.shadow_from_precision)
