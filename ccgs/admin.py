from django.contrib import admin

from records.admin_reasons import ReasonedHistoryAdmin

from .models import CCG, Commissioner, LocalityGroup


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
