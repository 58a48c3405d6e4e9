"""Topics (taggit's Tag, as the Topic proxy) for moderators: renaming keeps old addresses,
merging, a history, and no deleting a topic in use."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from reversion.admin import VersionAdmin
from taggit.models import Tag

from ..curation.services import merge_topics
from ..models import SlugRedirect, Topic
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


@admin.register(Topic)
class TopicAdmin(SendOnceAdmin, VersionAdmin):
    """Topics: rename (the old address redirects), merge, and remove the unused ones.

    A topic in use cannot be deleted (models/site_content.py refuses it below the admin
    too): the stock "delete selected" action is gone, and so is the delete button of a used
    one.
    """

    form = TopicForm
    list_display = ["name", "slug", "uses"]
    search_fields = ["name"]
    ordering = ["name"]
    actions = ["merge_topics", "delete_unused"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("taggit_taggeditem_items"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.taggit_taggeditem_items.exists():
            return False
        return super().has_delete_permission(request, obj)

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
