"""The resource admin: one ResourceAdmin for the three kinds."""

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin

from ..content import topics as topic_text
from ..curation import dashboard
from ..models import (
    Article,
    Reference,
    SlugRedirect,
    TreatmentStrategy,
    new_version,
    topics,
)
from ..models.resources import topic_names_of
from ..pages import previews
from .actions import ResourceActions
from .forms import ConflictingEdit, ResourceForm, TopicInput, topic_suggestion_url
from .history import ResourceHistory
from .once import SendOnceAdmin


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("soon", "Due in 30 days"), ("never", "Never reviewed")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.published().filter(next_review_due_on__lt=today)
        if self.value() == "soon":
            return queryset.published().filter(
                next_review_due_on__gte=today, next_review_due_on__lte=today + dashboard.SOON
            )
        if self.value() == "never":
            return queryset.published().filter(last_reviewed_on__isnull=True)
        return queryset


class ResourceAdmin(SendOnceAdmin, ResourceActions, ResourceHistory, VersionAdmin):
    """Every admin save is a revision: history, a diff between any two, and restore.

    Deleting is for moderators, only for pages that were never public, and is not final:
    "Recover deleted" lists what was deleted, from its last revision. A page that was ever
    public is archived instead, so that every link to it keeps working.
    """

    form = ResourceForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    object_history_template = "admin/resources/object_history.html"
    actions = [
        "submit_for_review", "publish", "archive", "return_to_draft", "add_topics",
        "remove_topics", "merge", "end_preview_links",
    ]  # fmt: skip
    list_display = ["title", "status", "topic_list", "last_reviewed_on", "next_review_due_on"]
    list_filter = ["status", ReviewDueFilter, "crisis_help", "topics"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    autocomplete_fields = ["replaced_by"]
    readonly_fields = ["status", "preview_links", "workflow_history", "created_at", "updated_at"]

    # Scheduling and retirement come after the text, before the read-only workflow fields.
    late_fields = ["publish_at", "replaced_by", "redirect_to_replacement"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        readonly = self.get_readonly_fields(request, obj)
        late = [name for name in self.late_fields if name in fields]
        main = [name for name in fields if name not in late and name not in readonly]
        return [*main, *late, *(name for name in fields if name in readonly)]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    # Roles: editors write drafts and submit them; moderators publish, archive, unpublish.
    def has_publish_permission(self, request):
        model = self.model._meta.model_name
        return request.user.has_perm(f"resources.publish_{model}")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.status in ("published", "archived"):
            # Live (or retired) pages change only through someone who may publish.
            return allowed and self.has_publish_permission(request)
        return allowed

    def has_delete_permission(self, request, obj=None):
        # A page that was ever public is archived, never deleted: its links must keep working.
        if obj is not None and obj.was_ever_public():
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            kwargs["widget"] = TopicInput(topic_suggestion_url(self.model))
            kwargs["help_text"] = (
                "Separate topics with commas. Existing topics are suggested as you type; "
                "capitals do not matter."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def topic_suggestions(self, request):
        """JSON for the topic field: existing topics matching what is being typed."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        typed = request.GET.get("q", "")[:100]
        entered = request.GET.get("entered", "")[:2000]
        names = topics.suggest(typed, exclude=topic_text.parse_topics(entered))
        return JsonResponse({"results": names})

    def get_urls(self):
        opts = self.model._meta
        suggestions = path(
            "topics/suggest/",
            self.admin_site.admin_view(self.topic_suggestions),
            name=f"{opts.app_label}_{opts.model_name}_topic_suggestions",
        )
        diff = path(
            "<path:object_id>/history/diff/",
            self.admin_site.admin_view(self.diff_view),
            name=f"{opts.app_label}_{opts.model_name}_diff",
        )
        return [suggestions, diff, *super().get_urls()]

    @admin.display(description="preview")
    def preview_links(self, obj):
        if obj.pk is None:
            return "Save first to preview."
        kind = previews.kind_of(obj)
        return format_html(
            '<a href="{}">Preview as the public will see it</a><br>'
            "Link for an outside reviewer, valid {} days (no account needed; the action "
            "“End the outside reviewers' preview links” ends every such link early):<br>"
            '<input type="text" readonly size="60" value="{}">',
            reverse("resources:staff_preview", args=[kind, obj.pk]),
            settings.PREVIEW_LINK_DAYS,
            self.request_absolute(previews.signed_url(obj)),
        )

    def request_absolute(self, path):
        return (settings.SITE_URL.rstrip("/") + path) if settings.SITE_URL else path

    @admin.display(description="workflow history")
    def workflow_history(self, obj):
        if obj.pk is None:
            return "—"
        events = obj.workflow_events()
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} → {} by {} on {}",
                (
                    (
                        e.get_from_status_display(),
                        e.get_to_status_display(),
                        e.by or "someone",
                        e.at.strftime("%d %b %Y %H:%M"),
                    )
                    for e in events
                ),
            )
            or "No workflow steps yet."
        )

    def save_model(self, request, obj, form, change):
        if change:
            # Lock the row (PostgreSQL) or hold SQLite's write lock, and check again: two
            # moderators saving at the same instant cannot both pass the form's check.
            current = type(obj).objects.select_for_update().get(pk=obj.pk)
            if current.version != form.cleaned_data.get("loaded_version"):
                raise ConflictingEdit
            obj.version = new_version()
            if current.slug != obj.slug:
                SlugRedirect.record(obj, current.slug)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Topics are saved after the page: record them in this revision too.
        obj = form.instance
        obj.topic_names = topic_names_of(type(obj), obj.pk)  # the row follows by signal
        if reversion.is_active():
            reversion.add_to_revision(obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictingEdit:
            self.message_user(
                request,
                "Someone else saved this page at the same moment; your changes were not "
                "saved. Open it again to see theirs.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)

    @admin.display(description="topics")
    def topic_list(self, obj):
        # tags.names() ignores prefetch_related; iterate the prefetched tags instead.
        return ", ".join(sorted(tag.name for tag in obj.topics.all()))


@admin.register(Article)
class ArticleAdmin(ResourceAdmin):
    list_display = [*ResourceAdmin.list_display, "start_here"]


@admin.register(Reference)
class ReferenceAdmin(ResourceAdmin):
    list_display = ["title", "key", "ref_type", "year", "peer_reviewed", "status", "link_ok"]
    list_filter = ["status", ReviewDueFilter, "link_ok", "ref_type", "peer_reviewed", "topics"]
    readonly_fields = [*ResourceAdmin.readonly_fields, "link_ok", "link_problem", "link_checked_at"]
    search_fields = ["title", "key", "authors", "doi", "pmid", "container_title"]


@admin.register(TreatmentStrategy)
class TreatmentStrategyAdmin(ResourceAdmin):
    list_display = [*ResourceAdmin.list_display, "evidence_level"]
    list_filter = [*ResourceAdmin.list_filter, "evidence_level"]
