from django.contrib import admin

from records.admin_reasons import ReasonedHistoryAdmin

from .models import LocalityGroup


@admin.register(LocalityGroup)
class LocalityGroupAdmin(ReasonedHistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}
