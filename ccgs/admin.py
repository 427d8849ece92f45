from django.contrib import admin

from records.admin_reasons import ReasonedHistoryAdmin

from .models import Commissioner, LocalityGroup


@admin.register(LocalityGroup)
class LocalityGroupAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Commissioner)
class CommissionerAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "form"]
