from django.contrib import admin

from kmcommission.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin

from .models import Decision, Source


@admin.register(Source)
class SourceAdmin(ReasonedHistoryAdmin):
    list_display = ["key", "title", "publisher", "published", "published_precision"]
    search_fields = ["title", "publisher", "quote"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    """Read only: decisions are recorded by STP staff through the decision form."""

    list_display = ["__str__", "body", "outcome", "effective_date", "recorded_by", "recorded_at"]
    list_filter = ["outcome", "body", "ccg"]
    list_select_related = ["ccg", "commissioner", "recorded_by"]
