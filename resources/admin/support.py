"""Admin for what surrounds resources: crisis lines, synonyms, the index queue,
old addresses and readers' suggestions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html
from taggit.models import Tag

from ..curation.services import draft_from_suggestion
from ..models import (
    RESOURCE_MODELS,
    CrisisLine,
    PendingIndexUpdate,
    SlugRedirect,
    Suggestion,
    SynonymGroup,
)
from .once import SendOnceAdmin


@admin.register(CrisisLine)
class CrisisLineAdmin(SendOnceAdmin, admin.ModelAdmin):
    # Confidence: how far each number was confirmed against its own service's page.
    list_display = ["name", "region", "kind", "contact", "confidence", "position"]
    list_filter = ["kind", "confidence", "region"]
    list_editable = ["position"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(SendOnceAdmin, admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(admin.ModelAdmin):
    """What the search index still has to catch up on (normally empty)."""

    list_display = ["model_label", "object_pk", "queued_at"]
    readonly_fields = ["model_label", "object_pk", "token", "queued_at"]

    def has_add_permission(self, request):
        return False


class SlugRedirectForm(forms.ModelForm):
    class Meta:
        model = SlugRedirect
        fields = ["content_type", "old_slug", "object_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [*RESOURCE_MODELS, Tag]
        self.fields["content_type"].queryset = ContentType.objects.filter(
            pk__in=[ContentType.objects.get_for_model(model).pk for model in kinds]
        )
        self.fields["object_id"].help_text = "The id of the page or topic the old slug leads to."

    def clean(self):
        cleaned = super().clean()
        content_type, pk = cleaned.get("content_type"), cleaned.get("object_id")
        model = content_type.model_class() if content_type else None
        if model and pk is not None and not model.objects.filter(pk=pk).exists():
            raise forms.ValidationError(f"There is no {content_type.name} with id {pk}.")
        return cleaned


@admin.register(SlugRedirect)
class SlugRedirectAdmin(SendOnceAdmin, admin.ModelAdmin):
    """Old addresses: recorded by renames and merges; moderators can add or fix them."""

    form = SlugRedirectForm
    list_display = ["old_slug", "content_type", "leads_to", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["old_slug"]

    @admin.display(description="leads to")
    def leads_to(self, obj):
        target = obj.content_type.model_class().objects.filter(pk=obj.object_id).first()
        if target is None:
            return "— (nothing: the old address answers 404)"
        if isinstance(target, Tag):
            url = reverse("resources:topic_detail", args=[target.slug])
        else:
            url = target.landing_page().get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, target)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Readers' messages: a queue that never reaches the site by itself."""

    list_display = ["__str__", "kind", "page", "state", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["message", "page", "source_url"]
    readonly_fields = ["kind", "page", "message", "source_url", "email", "created_at"]
    actions = ["make_draft", "dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Turn selected into draft articles", permissions=["change"])
    def make_draft(self, request, queryset):
        drafts = [
            draft_from_suggestion(suggestion)
            for suggestion in queryset.filter(state=Suggestion.State.NEW)
        ]
        self.message_user(
            request,
            f"{len(drafts)} draft(s) created: " + ", ".join(d.title for d in drafts),
            messages.SUCCESS,
        )

    @admin.action(description="Dismiss selected", permissions=["change"])
    def dismiss(self, request, queryset):
        count = queryset.update(state=Suggestion.State.DISMISSED)
        self.message_user(request, f"{count} dismissed.", messages.SUCCESS)
