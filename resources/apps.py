from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import caching, site_content, topics

        caching.connect_signals()
        topics.connect_signals()
        site_content.connect_signals()
