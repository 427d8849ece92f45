from django.db import models
from django.urls import reverse

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
    """The strategic commissioner: a joint committee of CCGs sharing one management team."""

    name = models.CharField(max_length=150, unique=True)
    form = models.CharField(max_length=100, default="Joint committee")
    shadow_from = RecordDateField(null=True, blank=True)
    shadow_from_precision = precision_field()
    description = models.TextField(blank=True)
    history = audit_history()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"

    def __str__(self):
        return self.name

    @property
    def shadow_from_display(self):
        return format_fuzzy(self.shadow_from, self.shadow_from_precision)
