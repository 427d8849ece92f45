"""Admin forms that ask why, so every admin edit's history row carries a reason."""

from django import forms
from simple_history.admin import SimpleHistoryAdmin


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text="Kept in the audit history with your name.",
    )


class ReasonedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin that requires a reason for every add and change."""

    form = ReasonForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        fields = [f for f in fieldsets[0][1]["fields"] if f != "change_reason"]
        return [(None, {"fields": fields}), ("Audit", {"fields": ["change_reason"]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data["change_reason"]
        super().save_model(request, obj, form, change)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """For rows that only a service may write: admins read them and their history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
