from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_reasons import HistoryShownNotChanged, ReasonedHistoryAdmin
from .models import Source


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


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(HistoryShownNotChanged, UserAdmin):
    """Accounts, with their audit history. People who leave are deactivated, never deleted:
    the history names them for ever."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Group)
class RoleGroupAdmin(HistoryShownNotChanged, GroupAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorAdmin(admin.ModelAdmin):
    """Authenticator apps, one a person. An admin removes one when a phone is lost; the person
    sets up a new one at their next sign-in. The keys are never shown here."""

    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
