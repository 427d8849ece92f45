from django.apps import AppConfig


class CcgsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ccgs"
    verbose_name = "CCGs"
