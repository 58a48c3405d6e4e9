from django.contrib import admin

from .models import (
    Article,
    CrisisLine,
    PendingIndexUpdate,
    Reference,
    SynonymGroup,
    TreatmentStrategy,
)


class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "topic_list", "last_reviewed_on", "next_review_due_on"]
    list_filter = ["status", "crisis_help", "topics"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="topics")
    def topic_list(self, obj):
        # tags.names() ignores prefetch_related; iterate the prefetched tags instead.
        return ", ".join(sorted(tag.name for tag in obj.topics.all()))


@admin.register(Article)
class ArticleAdmin(ResourceAdmin):
    list_display = [*ResourceAdmin.list_display, "start_here"]


@admin.register(Reference)
class ReferenceAdmin(ResourceAdmin):
    list_display = ["title", "key", "ref_type", "year", "peer_reviewed", "status"]
    list_filter = ["status", "ref_type", "peer_reviewed", "topics"]
    search_fields = ["title", "key", "authors", "doi", "pmid", "container_title"]


@admin.register(TreatmentStrategy)
class TreatmentStrategyAdmin(ResourceAdmin):
    list_display = [*ResourceAdmin.list_display, "evidence_level"]
    list_filter = [*ResourceAdmin.list_filter, "evidence_level"]


@admin.register(CrisisLine)
class CrisisLineAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "kind", "contact", "position"]
    list_filter = ["kind", "region"]
    list_editable = ["position"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(admin.ModelAdmin):
    """What the search index still has to catch up on (normally empty)."""

    list_display = ["model_label", "object_pk", "queued_at"]
    readonly_fields = ["model_label", "object_pk", "token", "queued_at"]

    def has_add_permission(self, request):
        return False
