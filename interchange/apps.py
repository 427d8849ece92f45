from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Record files in and out: import_record and export_record, through every app's services."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "interchange"
    verbose_name = "Record files"
