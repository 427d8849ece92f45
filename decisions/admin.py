from django.contrib import admin

from kmcommission.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin

from .models import Decision, Source


@admin.register(Source)
class SourceAdmin(ReasonedHistoryAdmin):
    """Sources are added by staff at /sources/new/ (which puts them on the timeline).

    Here admins may correct a title, quote or address; the publication date, which
    dates the timeline, stays as recorded, and a cited source is never deleted.
    """

    list_display = ["key", "title", "publisher", "published", "published_precision"]
    search_fields = ["title", "publisher", "quote"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["key", "published", "published_precision", "created_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    """Read only: decisions are recorded by STP staff through the decision form."""

    list_display = ["__str__", "body", "outcome", "effective_date", "recorded_by", "recorded_at"]
    list_filter = ["outcome", "body", "ccg"]
    list_select_related = ["ccg", "commissioner", "recorded_by"]
