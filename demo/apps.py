from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The 2018 demo record and its loader: the top layer, which drives every app's services."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
