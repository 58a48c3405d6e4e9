from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every receiver lives in signals.py; importing it before the registry is ready
        # would import the models too early.
        from . import signals

        signals.connect()
