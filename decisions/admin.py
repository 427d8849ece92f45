from django.contrib import admin

from records.admin_reasons import ReadOnlyHistoryAdmin

from .models import Decision, Membership


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    """Read only: decisions are recorded by STP staff through the decision form."""

    list_display = ["__str__", "body", "outcome", "effective_date", "recorded_by", "recorded_at"]
    list_filter = ["outcome", "body", "ccg"]
    list_select_related = ["ccg", "commissioner", "recorded_by"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    """Read only: a status changes only by recording a decision (decisions.services)."""

    list_display = ["ccg", "status", "since", "since_precision", "expected_decision", "version"]
    list_filter = ["status"]
    list_select_related = ["ccg"]
    # The "Changes" column already names the decision; a column of its own cost a query a row.
    history_list_display = ["status", "since", "since_precision"]
