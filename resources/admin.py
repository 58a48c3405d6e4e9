import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.forms import TagField, TagWidget
from taggit.models import Tag

from . import admin_workflow, dashboard, drafts, editor, previews, revisions, topics
from .admin_editorial import DraftOnLiveAdmin
from .models import (
    Article,
    CrisisLine,
    PendingIndexUpdate,
    Reference,
    SlugRedirect,
    Suggestion,
    SynonymGroup,
    Topic,
    TreatmentStrategy,
    WorkflowError,
    new_version,
)
from .services import draft_from_suggestion, merge_resources, merge_topics


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


class ConflictingEdit(Exception):
    pass


class TopicInput(TagWidget):
    """The topic field: as the moderator types, existing topics are suggested."""

    class Media:
        js = ["js/topic-autocomplete.js"]
        css = {"all": ["css/admin-extra.css"]}

    def __init__(self, suggest_url, attrs=None):
        super().__init__(attrs={
            "data-suggest-url": suggest_url, "autocomplete": "off", "size": 60,
            "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
            **(attrs or {}),
        })  # fmt: skip


def topic_suggestion_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_topic_suggestions")


def editor_urls(model):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return reverse(f"{name}_markdown_preview"), reverse(f"{name}_citation_search")


offline_titles = {"archive": "Archive these pages?", "return_to_draft": "Take these pages offline?"}


class AddTopicsForm(forms.Form):
    topics = TagField(
        label="Topics to add",
        help_text="Separate topics with commas. Existing topics are suggested as you type.",
    )

    def __init__(self, model_admin, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].widget = TopicInput(topic_suggestion_url(model_admin.model))

    def clean_topics(self):
        names = self.cleaned_data["topics"]
        if not names:
            raise forms.ValidationError("Type at least one topic.")
        # Existing topics keep their own capitals: "sleep" adds "Sleep".
        found = [Tag.objects.filter(name__iexact=name).first() or name for name in names]
        return clean_topic_names([str(tag) for tag in found])


class RemoveTopicsForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Topics to remove",
    )  # fmt: skip

    def __init__(self, present, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Tag.objects.filter(pk__in=[t.pk for t in present])


def clean_topic_names(names):
    for name in names:
        if "," in name:
            raise forms.ValidationError(
                f"Topic names cannot contain commas: “{name}”. Use two topics, or another word."
            )
    return names


class ResourceForm(forms.ModelForm):
    """Carries the version the moderator started from, to catch conflicting edits."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    topics_from_revision = False
    current_version = None  # a restore form starts from the live version, not the old one

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        draft = getattr(self.instance, "pending_draft", None)
        opened_at = draft.version if draft is not None else self.instance.version
        self.fields["loaded_version"].initial = self.current_version or opened_at
        if self.topics_from_revision and "topics" in self.fields:
            recorded = topics.names_from_text(self.instance.topic_names)
            self.initial["topics"] = [Tag(name=name) for name in recorded]

    def clean_topics(self):
        return clean_topic_names(self.cleaned_data.get("topics") or [])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = type(self.instance).objects.filter(pk=self.instance.pk).first()
            if current is not None and drafts.edit_token(current) != cleaned.get("loaded_version"):
                raise forms.ValidationError(
                    "Someone else saved this page after you opened it (last change at "
                    f"{current.updated_at:%H:%M:%S} UTC). Your changes have not been saved: "
                    "open the page again to see theirs, then make your edit.",
                    code="conflict",
                )
        return cleaned


class ResourceAdmin(admin_workflow.WorkflowAdmin, DraftOnLiveAdmin, VersionAdmin):
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
        "remove_topics", "merge",
    ]  # fmt: skip
    list_display = [
        "title", "status", "topic_list", "reading_grade", "last_reviewed_on", "next_review_due_on",
    ]  # fmt: skip
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
        if obj is not None and obj.status == "archived":
            # Retired pages change only through someone who may publish. Editors may
            # propose changes to live pages: those are saved as drafts (admin_editorial).
            return allowed and self.has_publish_permission(request)
        return allowed

    def has_delete_permission(self, request, obj=None):
        # A page that was ever public is archived, never deleted: its links must keep working.
        if obj is not None and obj.was_ever_public():
            return False
        return super().has_delete_permission(request, obj)

    def _apply(self, request, queryset, step, done):
        changed, refused = 0, []
        for obj in queryset:
            try:
                getattr(obj, step)(by=request.user)
                changed += 1
            except WorkflowError as error:
                refused.append(error.message)
        if changed:
            self.message_user(request, f"{changed} {done}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset, "submit_for_review", "submitted for review")

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request, queryset):
        self._apply(request, queryset, "publish", "published")

    @admin.action(description="Archive selected…", permissions=["publish"])
    def archive(self, request, queryset):
        return self._confirm_offline(request, queryset, "archive", "archived")

    @admin.action(description="Return selected to draft (take offline)…", permissions=["publish"])
    def return_to_draft(self, request, queryset):
        return self._confirm_offline(request, queryset, "return_to_draft", "returned to draft")

    def _confirm_offline(self, request, queryset, step, done):
        """Taking pages offline asks first, saying what readers will see afterwards."""
        if request.POST.get("confirm") == step:
            return self._apply(request, queryset, step, done)
        return self._ask(
            request, "offline_confirm.html", offline_titles[step], list(queryset), step=step
        )

    def _changeable(self, request, queryset):
        """Split the selection into what this user may change and what they may not."""
        allowed, refused = [], []
        for obj in queryset.prefetch_related("topics"):
            # Topics of live pages change only through someone who may publish.
            direct = not drafts.is_live_content(obj) or self.has_publish_permission(request)
            ok = direct and self.has_change_permission(request, obj)
            (allowed if ok else refused).append(obj)
        if refused:
            names = ", ".join(f"“{obj}”" for obj in refused)
            self.message_user(
                request,
                f"Not changed: {names} (live or archived pages change only through a moderator).",
                messages.WARNING,
            )
        return allowed

    def _ask(self, request, template, title, chosen, **extra):
        """The intermediate page of an action that needs one more answer."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": title, "chosen": chosen,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, **extra,
        }  # fmt: skip
        return TemplateResponse(request, f"admin/resources/{template}", context)

    def _topics_form(self, request, chosen, step, form):
        title = "Add a topic" if step == "add_topics" else "Remove topics"
        return self._ask(
            request, "topics_bulk.html", title, chosen,
            step=step, form=form, media=self.media + form.media,
        )  # fmt: skip

    @admin.action(description="Add topics to selected…", permissions=["change"])
    def add_topics(self, request, queryset):
        chosen = self._changeable(request, queryset)
        if not chosen:
            return None
        form = AddTopicsForm(self, request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._topics_form(request, chosen, "add_topics", form)
        names = form.cleaned_data["topics"]
        for obj in chosen:
            obj.change_topics(add=names, by=request.user)
        self.message_user(
            request, f"Added {', '.join(names)} to {len(chosen)} page(s).", messages.SUCCESS
        )
        return None

    @admin.action(description="Remove topics from selected…", permissions=["change"])
    def remove_topics(self, request, queryset):
        chosen = self._changeable(request, queryset)
        present = sorted({tag for obj in chosen for tag in obj.topics.all()}, key=str)
        if not present:
            self.message_user(request, "The selected pages have no topics.", messages.WARNING)
            return None
        form = RemoveTopicsForm(present, request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._topics_form(request, chosen, "remove_topics", form)
        tags = list(form.cleaned_data["topics"])
        for obj in chosen:
            obj.change_topics(remove=tags, by=request.user)
        names = ", ".join(tag.name for tag in tags)
        self.message_user(request, f"Removed {names} from {len(chosen)} page(s).", messages.SUCCESS)
        return None

    @admin.action(description="Merge selected into one…", permissions=["publish"])
    def merge(self, request, queryset):
        """Ask which page survives, then fold the others into it (services.merge_resources)."""
        chosen = list(queryset)
        if len(chosen) < 2:
            self.message_user(request, "Select at least two to merge.", messages.ERROR)
            return None
        keep = next((obj for obj in chosen if str(obj.pk) == request.POST.get("keep")), None)
        if request.POST.get("confirm") and keep is not None:
            try:
                retired = merge_resources(keep=keep, retired=chosen, by=request.user)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
                return None
            names = ", ".join(f"“{obj}”" for obj in retired)
            self.message_user(
                request,
                f"Merged {names} into “{keep}”: their links now lead there.",
                messages.SUCCESS,
            )
            return None
        return self._ask(
            request, "merge_confirm.html", "Merge into one page", chosen,
            any_published=any(obj.is_published() for obj in chosen),
            refused=request.POST.get("confirm") and "Choose the page that survives.",
        )  # fmt: skip

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.model.markdown_fields:
            kwargs["widget"] = editor.MarkdownEditor(*editor_urls(self.model))
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
        names = topics.suggest(typed, exclude=topics.parse_topics(entered))
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
        return [suggestions, diff, *self.editor_urls(), *self.workflow_urls(), *super().get_urls()]

    # The Markdown editor's live preview and citation picker (editor.py).
    def editor_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path("editor/preview/", self.admin_site.admin_view(self.markdown_preview),
                 name=f"{name}_markdown_preview"),
            path("editor/citations/", self.admin_site.admin_view(self.citation_search),
                 name=f"{name}_citation_search"),
        ]  # fmt: skip

    def _may_edit(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied

    def markdown_preview(self, request):
        self._may_edit(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return editor.preview(request, self.model)

    def citation_search(self, request):
        self._may_edit(request)
        return editor.citations(request)

    def history_view(self, request, object_id, extra_context=None):
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        extra = {"diff_versions": list(versions.select_related("revision__user"))}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def diff_view(self, request, object_id):
        """A readable, field-by-field diff between two revisions of one object."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        picked = [request.GET.get(key, "") for key in ("a", "b")]
        chosen = [versions.filter(pk=pk).first() if pk.isdigit() else None for pk in picked]
        if None in chosen:  # by default: the latest change
            latest = list(versions[:2])
            chosen = latest if len(latest) == 2 else [None, None]
        older, newer = sorted(chosen, key=lambda v: v.revision.date_created if v else 0)
        if older is None or newer is None:
            older = newer = None
        changes = revisions.field_diffs(older, newer) if older and newer else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "object": obj, "older": older, "newer": newer,
            "changes": changes, "title": f"Changes to {obj}",
        }  # fmt: skip
        return render(request, "admin/resources/revision_diff.html", context)

    @admin.display(description="preview")
    def preview_links(self, obj):
        if obj.pk is None:
            return "Save first to preview."
        kind = previews.kind_of(obj)
        return format_html(
            '<a href="{}">Preview as the public will see it</a><br>'
            "Link for an outside reviewer, valid {} days (no account needed):<br>"
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
            if drafts.edit_token(current) != form.cleaned_data.get("loaded_version"):
                raise ConflictingEdit
            obj.version = new_version()
        # A slug change records its redirect in the model, whatever path saves it.
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(request, "saved_as_draft", None):
            return  # the live page and its topics are unchanged
        # Topics are saved after the page: record them in this revision too.
        obj = form.instance
        obj.topic_names = topics.topic_names_of(type(obj), obj.pk)  # the row follows by signal
        if reversion.is_active():
            reversion.add_to_revision(obj)

    # Restoring an old revision or recovering a deleted page brings its topics back too:
    # the form starts from the topics that revision recorded (or the open draft's).
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "restoring_revision", False) or getattr(obj, "pending_draft", None):
            extra = {"topics_from_revision": True,
                     "current_version": getattr(request, "current_version", None)}  # fmt: skip
            form = type(form.__name__, (form,), extra)
        return form

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


@admin.register(CrisisLine)
class CrisisLineAdmin(DraftOnLiveAdmin, VersionAdmin):
    """A change to a shown line is a draft until a second person approves it; a new line is
    not shown until then (a wrong number is the worst error this site can make)."""

    list_display = ["name", "region", "kind", "contact", "position", "approved"]
    list_filter = ["kind", "region", "approved"]
    list_editable = ["position"]
    actions = ["approve"]

    @admin.action(description="Approve selected (new lines and waiting changes)",
                  permissions=["change"])  # fmt: skip
    def approve(self, request, queryset):
        for line in queryset:
            try:
                drafts.approve_and_publish(line, by=request.user)
            except WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, f"Approved “{line}”.", messages.SUCCESS)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(VersionAdmin):
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
        kinds = [Article, TreatmentStrategy, Reference, Tag]
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
class SlugRedirectAdmin(admin.ModelAdmin):
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
class TopicAdmin(VersionAdmin):
    """Topics: rename (the old address redirects), merge, and remove the unused ones.

    A topic in use cannot be deleted (site_content refuses it below the admin too): the
    stock "delete selected" action is gone, and so is the delete button of a used one.
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
        kept = queryset.count()
        self.message_user(
            request,
            f"Deleted {len(unused)} unused topic(s); {kept} in use kept.",
            messages.SUCCESS,
        )


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


# The site's header, site texts and the other admin pages of this round (admin_site.py).
from . import admin_site  # noqa: E402, F401
