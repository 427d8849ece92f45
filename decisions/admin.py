from django.contrib import admin

from ccgs.models import CCG, Commissioner
from records.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin

from .models import Decision, Membership
from .services import memberships_for_new_arrangement, memberships_for_new_ccg


@admin.register(CCG)
class CCGAdmin(ReasonedHistoryAdmin):
    """Registered here, beside memberships: a CCG added in the admin joins every arrangement
    with no record yet, so that its decision form works at once."""

    list_display = ["name", "ods_code", "locality_group"]
    list_filter = ["locality_group"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            memberships_for_new_ccg(
                ccg=obj,
                user=request.user,
                reason=f"Added with the CCG: {form.cleaned_data['change_reason']}",
            )


@admin.register(Commissioner)
class CommissionerAdmin(ReasonedHistoryAdmin):
    """Registered here for the same reason: a new arrangement has every CCG in it, with no
    record yet, so that their decision forms can name it at once."""

    list_display = ["name", "slug", "form"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            memberships_for_new_arrangement(
                commissioner=obj,
                user=request.user,
                reason=f"Added with the arrangement: {form.cleaned_data['change_reason']}",
            )


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    """Read only: decisions are recorded by STP staff through the decision form."""

    list_display = ["__str__", "body", "outcome", "effective_date", "recorded_by", "recorded_at"]
    list_filter = ["outcome", "body", "ccg"]
    list_select_related = ["ccg", "commissioner", "recorded_by"]
    history_list_display = ["cited"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    """Read only: a status changes only by recording a decision (decisions.services)."""

    history_select_related = ["decision__ccg"]

    list_display = ["ccg", "status", "since", "since_precision", "expected_decision", "version"]
    list_filter = ["status"]
    list_select_related = ["ccg"]
    # The "Changes" column already names the decision; a column of its own cost a query a row.
    history_list_display = ["status", "since"]
