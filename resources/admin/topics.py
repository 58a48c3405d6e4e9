"""Topics (taggit's Tag) for moderators: renaming keeps old addresses, merging."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from taggit.models import Tag

from ..curation.services import merge_topics
from ..models import (
    SlugRedirect,
)
from .once import SendOnceAdmin


class TopicForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "," in name:
            raise forms.ValidationError("Topic names cannot contain commas.")
        clash = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                f"“{clash.first().name}” already exists: topics ignore capitals. Merge them "
                "instead."
            )
        return name


admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(SendOnceAdmin, admin.ModelAdmin):
    """Topics: rename (the old address redirects), merge, and remove the unused ones."""

    form = TopicForm
    list_display = ["name", "slug", "uses"]
    search_fields = ["name"]
    ordering = ["name"]
    actions = ["merge_topics", "delete_unused"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("taggit_taggeditem_items"))

    @admin.display(description="uses", ordering="n")
    def uses(self, obj):
        return obj.n

    def save_model(self, request, obj, form, change):
        if change and "slug" in form.changed_data:
            SlugRedirect.record(obj, form.initial["slug"])
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Merge selected topics into the most used one", permissions=["change"]
    )
    def merge_topics(self, request, queryset):
        chosen = sorted(queryset, key=lambda t: (-t.n, t.name))
        if len(chosen) < 2:
            self.message_user(request, "Select at least two topics to merge.", messages.ERROR)
            return
        keep, retired = chosen[0], chosen[1:]
        merge_topics(keep=keep, retired=retired)
        names = ", ".join(t.name for t in retired)
        self.message_user(request, f"Merged {names} into {keep.name}.", messages.SUCCESS)

    @admin.action(description="Delete selected topics that nothing uses", permissions=["delete"])
    def delete_unused(self, request, queryset):
        unused = [topic for topic in queryset if topic.n == 0]
        for topic in unused:
            topic.delete()
        kept = len(queryset) - len(unused)  # (count() on the evaluated queryset counts both)
        self.message_user(
            request,
            f"Deleted {len(unused)} unused topic(s); {kept} in use kept.",
            messages.SUCCESS,
        )
