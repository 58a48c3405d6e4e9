from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Knowledge base"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import reversion
        from taggit.models import Tag

        from . import caching, invariants, site_content, topics

        caching.connect_signals()
        topics.connect_signals()
        invariants.connect_signals()
        site_content.connect_signals()
        # Topics have a history too (renames, merges); crisis lines and synonym groups are
        # registered where they are defined.
        if not reversion.is_registered(Tag):
            reversion.register(Tag)
