from django.contrib import admin

from kmcommission.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin

from .models import CCG, Commissioner, LocalityGroup, Membership


@admin.register(LocalityGroup)
class LocalityGroupAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CCG)
class CCGAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "ods_code", "locality_group"]
    list_filter = ["locality_group"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Commissioner)
class CommissionerAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "form"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    """Read only: a status changes only by recording a decision (decisions.services)."""

    list_display = ["ccg", "status", "since", "since_precision", "expected_decision", "version"]
    list_filter = ["status"]
    list_select_related = ["ccg"]
    # The "Changes" column already names the decision; a column of its own cost a query a row.
    history_list_display = ["status", "since", "since_precision"]
