from django.apps import AppConfig
from django.conf import settings
from django.db.models import ProtectedError
from django.db.models.signals import post_migrate, pre_delete


class RecordsConfig(AppConfig):
    """The base layer: sources, the timeline, dates, the point in time, history, permissions."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "records"
    verbose_name = "Sources and timeline"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .groups import sync_groups_after_migrate
        from .middleware import session_touched_at_sign_in

        user_logged_in.connect(session_touched_at_sign_in)
        protect_the_audit_trail()
        pre_delete.connect(refuse_deleting_people, sender=settings.AUTH_USER_MODEL)

        # After every migrate (and flush), once every app's permissions exist.
        post_migrate.connect(sync_groups_after_migrate, sender=self)


def refuse_deleting_people(sender, instance, **kwargs):
    """Deleting an account would leave every history row it wrote without a name."""
    raise ProtectedError(
        f"{instance} cannot be deleted: the audit history names them. Deactivate the account "
        "instead (untick 'Active').",
        {instance},
    )


def protect_the_audit_trail():
    """On PostgreSQL the database itself refuses UPDATE and DELETE on every history table and
    on the timeline: no code path, raw SQL included, can rewrite what was recorded.

    The triggers are installed after every migrate (PGTRIGGER_INSTALL_ON_MIGRATE); on SQLite
    the managers' guards (records.history) are the protection.
    """
    import pgtrigger
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    append_only = pgtrigger.Protect(
        name="append_only", operation=pgtrigger.Update | pgtrigger.Delete
    )
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges) or model._meta.label == "records.TimelineEvent":
            append_only.register(model)
