from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using="default", **kwargs):
    """The database cache's table comes with every migrate: make run, serve-prod, tests."""
    call_command("createcachetable", database=using, verbosity=0)


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import caching, topics

        caching.connect_signals()
        topics.connect_signals()
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="kb-cache-table")
