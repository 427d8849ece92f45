from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CcgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ccgs"
    verbose_name = "CCGs and membership"

    def ready(self):
        from kmcommission.groups import sync_groups_after_migrate

        post_migrate.connect(sync_groups_after_migrate, sender=self)
