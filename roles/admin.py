from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ccgs.arrangements import InTheDefaultArrangement
from records.admin_reasons import ReadOnlyHistoryAdmin, ReasonedHistoryAdmin, ReasonForm
from records.dates import Precision, normalise
from records.models import Source

from . import services
from .models import Assignment, CommissioningFunction, Person, Post


@admin.register(Person)
class PersonAdmin(ReasonedHistoryAdmin):
    search_fields = ["name"]


@admin.register(Post)
class PostAdmin(InTheDefaultArrangement, ReasonedHistoryAdmin):
    """A post is part of one arrangement's record (its assignments and their timeline events
    are that arrangement's): chosen when the post is added, the default unless the admin
    chooses another, and fixed once added."""

    list_display = ["title", "kind", "ccg", "locality_group", "seats", "proposed", "commissioner"]
    list_filter = ["commissioner", "kind", "proposed"]
    list_select_related = ["ccg", "locality_group", "commissioner"]
    search_fields = ["title"]
    history_list_display = ["cited"]
    autocomplete_fields = ["sources"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a post to another arrangement would leave its timeline events in the first.
        return ["commissioner"] if obj is not None else []


class AssignmentForm(ReasonForm):
    class Meta:
        model = Assignment
        fields = [
            "person",
            "post",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "transitional",
            "note",
            "sources",
        ]

    def clean(self):
        cleaned = super().clean()
        post = cleaned.get("post") or getattr(self.instance, "post", None)
        if self.errors or post is None:
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end", self.instance.end)
        if start:
            start = normalise(start, cleaned.get("start_precision") or Precision.DAY)
        if end and "end" in cleaned:
            end = normalise(end, cleaned.get("end_precision") or Precision.DAY)
        if start and end and end < start:
            # Reported here rather than by the model, which would see the dates un-normalised.
            raise ValidationError({"end": "The end date cannot be before the start date."})
        # The service checks again under a lock; this shows the clash on the form.
        services.assignment_clash_check(
            post=post, start=start, end=end, exclude_pk=self.instance.pk
        )
        return cleaned


class EndAssignmentForm(forms.Form):
    end = forms.DateField(
        label="End date",
        widget=AdminDateWidget,
        help_text="The day the person stopped holding the post (from this day it is not theirs).",
    )
    end_precision = forms.ChoiceField(
        label="How precise is that date", choices=Precision.choices, initial=Precision.DAY
    )
    sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        required=False,
        help_text="The sources that say so. Leave empty to cite the assignment's own sources.",
    )
    reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text="Kept in the audit history with your name.",
    )


@admin.register(Assignment)
class AssignmentAdmin(ReasonedHistoryAdmin):
    """Adds, corrections and endings all go through ``roles.services``."""

    form = AssignmentForm
    list_display = ["person", "post", "start", "end", "transitional"]
    list_filter = ["post__kind", "transitional"]
    list_select_related = ["person", "post"]
    search_fields = ["person__name", "post__title"]
    history_list_display = ["start", "end", "transitional", "cited"]
    # Searchable pickers (the sources run to dozens), not a list to Ctrl-click through.
    autocomplete_fields = ["person", "post", "sources"]
    actions = ["end_assignment"]
    change_form_template = "admin/roles/assignment/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # Who holds which post is fixed once recorded; the end has its own action.
        if obj is not None:
            return ["person", "post", "end", "end_precision"]
        return []

    def has_delete_permission(self, request, obj=None):
        # Deleting would orphan the timeline and rewrite the audit; end the assignment instead.
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The form's check passed but the service, under its lock, found a clash
            # saved in between by someone else: nothing was written; say why.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        common = {
            "start": data.get("start"),
            "start_precision": data.get("start_precision") or Precision.DAY,
            "transitional": data.get("transitional", False),
            "note": data.get("note", ""),
            "sources": list(data["sources"]),
            "reason": data["change_reason"],
            "user": request.user,
        }
        if change:
            saved = services.assignment_update(assignment=obj, **common)
        else:
            saved = services.assignment_start(
                person=data["person"],
                post=data["post"],
                end=data.get("end"),
                end_precision=data.get("end_precision") or Precision.DAY,
                **common,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The service has set the sources; the form must not write them a second way.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="End the selected assignment (asks for the end date and reason)")
    def end_assignment(self, request, queryset):
        open_ones = list(queryset.filter(end__isnull=True)[:2])
        if len(open_ones) != 1 or queryset.count() != 1:
            self.message_user(
                request, "Choose exactly one assignment that has not ended.", messages.WARNING
            )
            return None
        return redirect("admin:roles_assignment_end", open_ones[0].pk)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/end/",
                self.admin_site.admin_view(self.end_view),
                name="roles_assignment_end",
            ),
            *super().get_urls(),
        ]

    def end_view(self, request, object_id):
        assignment = get_object_or_404(
            Assignment.objects.select_related("person", "post"), pk=object_id
        )
        if not self.has_change_permission(request, assignment):
            raise PermissionDenied
        change_url = reverse("admin:roles_assignment_change", args=[assignment.pk])
        form = EndAssignmentForm(request.POST or None)
        if assignment.end is not None:
            messages.warning(request, f"This assignment already ended on {assignment.end_display}.")
            return redirect(change_url)
        if request.method == "POST" and form.is_valid():
            try:
                services.assignment_end(
                    assignment=assignment,
                    end=form.cleaned_data["end"],
                    end_precision=form.cleaned_data["end_precision"],
                    sources=list(form.cleaned_data["sources"]),
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.log_change(request, assignment, f"Ended: {form.cleaned_data['reason']}")
                messages.success(request, f"{assignment} ended.")
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"End assignment: {assignment}",
            "assignment": assignment,
            "form": form,
            "media": self.media + form.media,
            "opts": self.opts,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/roles/assignment/end.html", context)


@admin.register(CommissioningFunction)
class CommissioningFunctionAdmin(ReadOnlyHistoryAdmin):
    """Read only: functions move level through the function matrix pages."""

    list_display = ["name", "commissioner", "level", "since", "placed_by"]
    list_filter = ["commissioner"]
    history_list_display = ["level", "since", "placed_by", "cited"]
