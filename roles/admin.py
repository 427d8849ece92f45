from django.contrib import admin

from kmcommission.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin

from .models import Assignment, CommissioningFunction, Person, Post


@admin.register(Person)
class PersonAdmin(ReasonedHistoryAdmin):
    search_fields = ["name"]


@admin.register(Post)
class PostAdmin(ReasonedHistoryAdmin):
    list_display = ["title", "kind", "ccg", "locality_group", "seats", "proposed"]
    list_filter = ["kind", "proposed"]


@admin.register(Assignment)
class AssignmentAdmin(ReasonedHistoryAdmin):
    list_display = ["person", "post", "start", "end", "transitional"]
    list_filter = ["post__kind", "transitional"]
    list_select_related = ["person", "post"]
    history_list_display = ["start", "end", "transitional"]


@admin.register(CommissioningFunction)
class CommissioningFunctionAdmin(ReadOnlyHistoryAdmin):
    """Read only: functions move level through the function matrix pages."""

    list_display = ["name", "level", "since", "placed_by"]
    history_list_display = ["level", "since", "placed_by"]
