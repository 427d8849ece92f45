from django.contrib import admin

from kmcommission.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin

from .models import CommissioningFunction, Decision, Source


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


@admin.register(CommissioningFunction)
class CommissioningFunctionAdmin(ReadOnlyHistoryAdmin):
    """Read only: functions move level through the function matrix pages."""

    list_display = ["name", "level", "since", "placed_by"]
    history_list_display = ["level", "since", "placed_by"]
