from django.contrib import admin

from kmcommission.admin_reasons import ReasonedHistoryAdmin

from .models import ScrutinyMeeting


@admin.register(ScrutinyMeeting)
class ScrutinyMeetingAdmin(ReasonedHistoryAdmin):
    list_display = ["committee", "date", "cancelled", "item"]
