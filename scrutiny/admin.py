from django.contrib import admin

from ccgs.arrangements import InTheDefaultArrangement
from records.admin_reasons import ReasonedHistoryAdmin

from .models import ScrutinyMeeting
from .services import scrutiny_meeting_record


@admin.register(ScrutinyMeeting)
class ScrutinyMeetingAdmin(InTheDefaultArrangement, ReasonedHistoryAdmin):
    """Admins add meetings through the service, which also puts them on the timeline.

    A recorded meeting is read only: changing it here would leave its timeline
    event saying otherwise.
    """

    list_display = ["committee", "date", "cancelled", "item", "commissioner"]
    list_filter = ["commissioner"]
    history_list_display = ["cited"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        meeting = scrutiny_meeting_record(
            commissioner=data["commissioner"],
            committee=data["committee"],
            date=data["date"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            cancelled=data["cancelled"],
            item=data["item"],
            outcome=data["outcome"],
            sources=list(data["sources"]),
            reason=data["change_reason"],
            user=request.user,
        )
        # The admin goes on to save the form's many-to-many fields and to link
        # to the object: point both at the meeting the service made.
        obj.pk = meeting.pk
        obj._state.adding = False
        form.instance = meeting
