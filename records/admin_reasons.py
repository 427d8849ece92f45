"""The admin's base classes: every edit asks why, and the audit history only ever shows."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .admin_history import column_label, readable_changes


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text="Kept in the audit history with your name.",
    )


class HistoryShownNotChanged(SimpleHistoryAdmin):
    """simple-history's admin with its history views read only, for everyone.

    Its "history form" view saves any POST it is sent (hiding the revert button
    does not stop that), which would rewrite a record with no decision, no reason
    and no timeline event: here it only shows a past version. Ids that are not
    numbers are "not found", not a server error.
    """

    object_history_list_template = "admin/history_list.html"

    def history_view(self, request, object_id, extra_context=None):
        _require_number(object_id)
        columns = [
            (name, column_label(self.model, name))
            for name in self.get_history_list_display(request)
        ]
        extra_context = {**(extra_context or {}), "history_columns": columns}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _require_number(object_id, version_id)
        if request.method != "GET":
            raise PermissionDenied("The audit history cannot be changed.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    # Relations the history rows' text reaches beyond their own foreign keys (a decision's
    # str() names its CCG), fetched with the rows rather than once a row.
    history_select_related = ()

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return queryset.select_related(*self.history_select_related)

    def set_history_delta_changes(self, request, historical_records, **options):
        # Each row's link text is str(row.history_object), a fresh model instance that
        # would fetch its foreign keys again (two or three queries a row): give it the
        # related objects the history queryset already selected.
        for record in historical_records:
            instance = record.history_object
            for field in record.tracked_fields:
                if field.is_relation and field.is_cached(record):
                    setattr(instance, field.name, getattr(record, field.name))
            record.history_object = instance
        # Each row's changes in words (``records.admin_history``), not as stored.
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, foreign_keys_are_objs=True)
                previous.history_delta_changes = readable_changes(delta, current, previous)
            previous = current


def _require_number(*ids):
    for value in ids:
        if not str(value).isdigit():
            raise Http404("No such record.")


class ReasonedHistoryAdmin(HistoryShownNotChanged):
    """Requires a reason for every add and change."""

    form = ReasonForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        fields = [f for f in fieldsets[0][1]["fields"] if f != "change_reason"]
        return [(None, {"fields": fields}), ("Audit", {"fields": ["change_reason"]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data["change_reason"]
        if "sources" in form.cleaned_data:
            # The history row is made by this save, before the admin sets the many-to-many
            # sources: give it the sources the form cites (records.history.CitesSources).
            obj._cites = list(form.cleaned_data["sources"])
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._change_reason = "Deleted in the admin"
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so that each deletion has its history row with who and why.
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyHistoryAdmin(HistoryShownNotChanged):
    """For rows that only a service may write: admins read them and their history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
